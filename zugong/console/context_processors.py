"""Navigation that fits the user's roles, and the unread-notice badge."""

from django.utils.functional import SimpleLazyObject

from zugong.core import registry
from zugong.people.access import caps_of, is_admin, roles_of
from zugong.people.models import Role

from .selectors import notice_unread_count

ROLE_LABELS = dict(Role.choices)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(request, "zg_2fa_pending", False):
        # Half-way through signing in (SecondFactorMiddleware): no menu yet.
        return {}
    caps = caps_of(user)
    items, seen = [], set()
    # The menu is every installed app's entry (core.registry), in order; two entries for
    # one page (the accounts page of either administrator) show once.
    for entry, url in registry.menu():
        if entry.url_name in seen or (entry.cap and entry.cap not in caps):
            continue
        seen.add(entry.url_name)
        active = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"url": url, "label": entry.label, "active": active})
    return {"nav_items": items,
            "my_roles": [ROLE_LABELS[r] for r in sorted(roles_of(user))]}


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
