"""Template tags drawn from the plug-in registry: an app's sub-navigation."""

from django import template
from django.apps import apps

from zugong.core import registry
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


@register.inclusion_tag("console/_subnav.html", takes_context=True)
def subnav(context, app_label: str, section: str = ""):
    """The app's sub-navigation (its plugin's ``subnav``), items the user may use only."""
    request = context["request"]
    if getattr(request, DRAWN, False):
        return {"items": []}
    setattr(request, DRAWN, True)
    return {"items": _items(request, app_label, section)}


@register.inclusion_tag("console/_subnav.html", takes_context=True)
def page_subnav(context):
    """The base template's sub-navigation: every page of an app with a ``subnav`` shows
    it, the current page marked, whether or not its template asks for it."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    if match is None or not match.namespace or not getattr(user, "is_authenticated", False):
        return {"items": []}
    label = match.namespaces[0]
    if not apps.is_installed(f"zugong.{label}"):
        return {"items": []}
    try:
        entries = registry.subnav(label)
    except (LookupError, AttributeError):
        return {"items": []}
    if not entries:
        return {"items": []}
    setattr(request, DRAWN, True)
    return {"items": _items(request, label, context.get("section"))}
