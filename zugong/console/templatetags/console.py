"""Template tags drawn from the plug-in registry: an app's sub-navigation."""

from django import template
from django.apps import apps
from django.utils.safestring import SafeString, mark_safe

from zugong.core import registry
from zugong.core.html import nav_links
from zugong.people.access import has_cap

register = template.Library()

# Set on the request once a page's sub-navigation is drawn, so that the page's own
# ``{% subnav %}`` and the base template's ``{% page_subnav %}`` never both draw it.
DRAWN = "_zg_subnav_drawn"


@register.simple_tag
def fixed_url(name: str) -> str:
    """``{% url name %}`` for an address without arguments, reversed once per process
    (``registry.address``): the base layout links six of them on every page."""
    return registry.address(name)


def _items(request, app_label: str, section) -> list[dict]:
    user = request.user
    entries = [(entry, url) for entry, url in registry.subnav_addresses(app_label)
               if entry.cap is None or has_cap(user, entry.cap)]
    # A view's ``section`` names the entry; some views use the word for an org unit.
    active = next((e for e, _url in entries if isinstance(section, str) and section
                   and e.key == section), None)
    if active is None:
        # A page without a section of its own (a form, a record) marks the entry whose
        # address is the longest start of its own: /talks/new/ under 谈心谈话 (/talks/).
        matches = [(len(url), e) for e, url in entries if request.path.startswith(url)]
        active = max(matches, key=lambda m: m[0])[1] if matches else None
    return [{"url": url, "label": entry.label, "active": entry is active}
            for entry, url in entries]


def _pills(items) -> SafeString:
    """The sub-navigation's HTML (written in Python: it is on most pages; see
    ``core.html``); nothing without items."""
    if not items:
        return SafeString("")
    # nav_links escapes every value.
    return mark_safe(  # noqa: S308  # nosec B308 B703
        f'<ul class="nav nav-pills zg-subnav mb-3">{nav_links(items)}</ul>')


@register.simple_tag
def main_nav(items) -> SafeString:
    """The main menu's links (``context_processors.navigation``'s ``nav_items``)."""
    return mark_safe(nav_links(items))  # noqa: S308  # nosec B308 B703


@register.simple_tag(takes_context=True)
def subnav(context, app_label: str, section: str = "") -> SafeString:
    """The app's sub-navigation (its plugin's ``subnav``), items the user may use only."""
    request = context["request"]
    if getattr(request, DRAWN, False):
        return SafeString("")
    setattr(request, DRAWN, True)
    return _pills(_items(request, app_label, section))


@register.simple_tag(takes_context=True)
def page_subnav(context) -> SafeString:
    """The base template's sub-navigation: every page of an app with a ``subnav`` shows
    it, the current page marked, whether or not its template asks for it."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    if match is None or not match.namespace or not getattr(user, "is_authenticated", False):
        return SafeString("")
    label = match.namespaces[0]
    if not apps.is_installed(f"zugong.{label}"):
        return SafeString("")
    try:
        entries = registry.subnav(label)
    except (LookupError, AttributeError):
        return SafeString("")
    if not entries:
        return SafeString("")
    setattr(request, DRAWN, True)
    return _pills(_items(request, label, context.get("section")))
