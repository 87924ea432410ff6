"""Navigation that fits the user's roles."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zugong.people.access import Cap, has_cap, roles_of

NAV = [
    ("home", _("Home"), None),
    ("people:list", _("People"), Cap.PEOPLE_VIEW),
    ("people:units", _("Units"), Cap.UNITS_VIEW),
    ("people:accounts", _("Accounts"), Cap.ACCOUNTS_CREATE),
    ("people:accounts", _("Accounts and roles"), Cap.ROLES_GRANT),
    ("core:dictionaries", _("Code tables"), Cap.DICT_CHANGE),
    ("core:jobs", _("Job runs"), Cap.JOBS_VIEW),
    ("core:audit", _("Audit log"), Cap.AUDIT_VIEW),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
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
