"""Navigation that fits the user's roles, and the unread-notice badge."""

from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from zugong.people.access import Cap, has_cap, is_admin, roles_of

from .selectors import notice_unread_count

NAV = [
    ("home", _("Home"), None),
    ("people:list", _("People"), Cap.PEOPLE_VIEW),
    ("people:units", _("Units"), Cap.UNITS_VIEW),
    ("learning:home", _("Learning"), Cap.LEARNING_VIEW),
    ("talks:home", _("Talks"), Cap.TALKS_VIEW),
    ("assessment:home", _("Assessment"), Cap.ASSESS_VIEW),
    ("tasks:mine", _("Tasks"), Cap.TASKS_VIEW),
    ("people:accounts", _("Accounts"), Cap.ACCOUNTS_CREATE),
    ("people:accounts", _("Accounts and roles"), Cap.ROLES_GRANT),
    ("core:dictionaries", _("Code tables"), Cap.DICT_CHANGE),
    ("core:jobs", _("Job runs"), Cap.JOBS_VIEW),
    ("core:audit", _("Audit log"), Cap.AUDIT_VIEW),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(request, "zg_2fa_pending", False):
        # Half-way through signing in (SecondFactorMiddleware): no menu yet.
        return {}
    items, seen = [], set()
    for name, label, cap in NAV:
        if name in seen or (cap and not has_cap(user, cap)):
            continue
        seen.add(name)
        url = reverse(name)
        active = request.path == url if name == "home" else request.path.startswith(url)
        items.append({"url": url, "label": label, "active": active})
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
