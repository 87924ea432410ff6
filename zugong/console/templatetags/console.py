"""Template tags drawn from the plug-in registry: an app's sub-navigation."""

from django import template
from django.urls import reverse

from zugong.core import registry
from zugong.people.access import has_cap

register = template.Library()


@register.inclusion_tag("console/_subnav.html", takes_context=True)
def subnav(context, app_label: str, section: str = ""):
    """The app's sub-navigation (its plugin's ``subnav``), items the user may use only."""
    user = context["request"].user
    items = [{"url": reverse(entry.url_name), "label": entry.label,
              "active": entry.key == section}
             for entry in registry.subnav(app_label)
             if entry.cap is None or has_cap(user, entry.cap)]
    return {"items": items}
