"""HTML written by tags in Python (``core.html``): escaped as the template engine escapes,
the current page marked as the loops it replaced marked it."""

from django.template import Context, Template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from zugong.core.html import esc, nav_links

# The loop ``nav_links`` replaced in base.html and console/_subnav.html.
LOOP = Template(
    '{% for item in items %}<li class="nav-item"><a class="nav-link{% if item.active %} '
    'active{% endif %}" href="{{ item.url }}"{% if item.active %} aria-current="page"'
    '{% endif %}>{{ item.label }}</a></li>{% endfor %}')


def test_the_links_are_the_loops_links_with_every_value_escaped():
    items = [{"url": "/learning/", "label": gettext_lazy("Learning"), "active": False},
             {"url": "/a/?x=1&y=\"2\"", "label": "<b>谈心谈话</b> & 走访", "active": True},
             {"url": "/safe/", "label": mark_safe("<em>已审</em>"), "active": False}]
    written = nav_links(items)
    assert written == LOOP.render(Context({"items": items}))
    assert "<b>" not in written and "&lt;b&gt;谈心谈话&lt;/b&gt; &amp; 走访" in written
    assert 'href="/a/?x=1&amp;y=&quot;2&quot;"' in written
    assert written.count('aria-current="page"') == 1 and "<em>已审</em>" in written
    assert nav_links([]) == ""


def test_esc_leaves_safe_text_and_escapes_the_rest():
    assert esc(mark_safe("<i>x</i>")) == "<i>x</i>"
    assert esc("<i>'x'</i>") == "&lt;i&gt;&#x27;x&#x27;&lt;/i&gt;"
    assert esc(12) == "12" and esc(None) == "None"
