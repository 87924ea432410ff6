"""HTML written by template tags in Python, for the parts every page or a long table
repeats (issue 23): the template engine resolving, localizing and escaping each variable
of a loop costs more than the markup itself."""

from __future__ import annotations

import html


def esc(value) -> str:
    """What ``format_html`` does to each value (``conditional_escape``: safe text as it
    is, anything else escaped), without its wrappers for lazy arguments, which cost more
    than the escaping itself for short values."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def nav_links(items) -> str:
    """``<li>`` links of a navigation list: ``items`` of ``url``, ``label`` and ``active``
    (the current page, marked for the eye and for screen readers). Every value is
    escaped; the result is safe to mark so."""
    return "".join(
        f'<li class="nav-item"><a class="nav-link active" href="{esc(i["url"])}" '
        f'aria-current="page">{esc(i["label"])}</a></li>' if i["active"] else
        f'<li class="nav-item"><a class="nav-link" href="{esc(i["url"])}">'
        f'{esc(i["label"])}</a></li>'
        for i in items)
