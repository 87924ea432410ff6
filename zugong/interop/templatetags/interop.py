"""Buttons that other apps' pages show for import, export and the printed form."""

from django import template

from zugong.interop.access import Cap
from zugong.people.access import has_cap

register = template.Library()


@register.inclusion_tag("interop/_person_buttons.html", takes_context=True)
def interop_person_buttons(context, person):
    user = context["request"].user
    return {"person": person, "can_export": has_cap(user, Cap.PEOPLE_EXPORT)}
