"""Navigation that fits the user's roles, and the unread-notice badge."""

from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from zugong.core import registry
from zugong.people.access import has_cap, is_admin, roles_of

from .selectors import notice_unread_count


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(request, "zg_2fa_pending", False):
        # Half-way through signing in (SecondFactorMiddleware): no menu yet.
        return {}
    items, seen = [], set()
    # The menu is every installed app's entry (core.registry), in order; two entries for
    # one page (the accounts page of either administrator) show once.
    for entry in registry.nav_entries():
        if entry.url_name in seen or (entry.cap and not has_cap(user, entry.cap)):
            continue
        seen.add(entry.url_name)
        url = reverse(entry.url_name)
        active = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"url": url, "label": entry.label, "active": active})
    from zugong.people.models import Role

    labels = dict(Role.choices)
    return {"nav_items": items, "my_roles": [labels[r] for r in sorted(roles_of(user))]}


def notices(request):
    """The bell for business users (三员分立: the administrators' pages carry no bell).

    The count is one query, run only when a template shows the badge (not for partials).
    """
    user = getattr(request, "user", None)
    if (user is None or not user.is_authenticated or is_admin(user)
            or getattr(request, "zg_2fa_pending", False)):
        return {}
    return {"notice_bell": True,
            "notice_unread": SimpleLazyObject(lambda: notice_unread_count(user))}
