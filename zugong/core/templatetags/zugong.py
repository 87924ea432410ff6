"""Template filters for masked values."""

from django import template

from zugong.core.masking import mask_id_number, mask_phone

register = template.Library()


@register.filter
def mask_id(value):
    return mask_id_number(value)


@register.filter(name="mask_phone")
def mask_phone_filter(value):
    return mask_phone(value)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def age_today(person):
    from django.utils import timezone

    return person.age_on(timezone.localdate())
