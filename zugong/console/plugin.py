"""The console's part of the whole: home, notices, the recycle bin and the administrators'
pages."""

from django.utils.translation import gettext_lazy as _

from zugong.core.registry import NavEntry, PersonTab, Plugin, grants
from zugong.people.access import LEADER_ROLES
from zugong.people.models import Role

from .access import Cap

PLUGIN = Plugin(
    capabilities={
        Cap.AUDIT_VALUES: "read the values audit entries record, in scope (audited)",
        Cap.RECYCLE_VIEW: "see the recycle bin (what one may delete, one may restore)",
        Cap.RECYCLE_ERASE: "erase deleted records for good on a legal request (PIPL)",
    },
    grants=grants(
        # The head answers for the department's records, supervision checks them; never
        # one of the three administrators.
        ((Role.HEAD, Role.SUPERVISION), {Cap.AUDIT_VALUES}),
        # The roles that delete records (people's sub-records, assessment indicators) see
        # the bin; erasing for good is the head's decision.
        ((*LEADER_ROLES, "assessment"), {Cap.RECYCLE_VIEW}),
        (("head",), {Cap.RECYCLE_ERASE}),
    ),
    nav=(
        NavEntry("home", _("Home"), None, order=0),
        NavEntry("console:setup", _("Departments"), Cap.DEPARTMENTS_CREATE, order=84),
        NavEntry("console:recycle", _("Recycle bin"), Cap.RECYCLE_VIEW, order=85),
        NavEntry("console:dictionaries", _("Code tables"), Cap.DICT_CHANGE, order=90),
        NavEntry("console:jobs", _("Job runs"), Cap.JOBS_VIEW, order=91),
        NavEntry("console:audit", _("Audit log"), Cap.AUDIT_VIEW, order=92),
    ),
    # The person page's change history: the entries about the person, each opening its
    # values (audited) for whoever may read them.
    person_tab=PersonTab("history", _("Change history"), "console:person_history",
                         Cap.AUDIT_VALUES, order=900),
    # Last of all: it dates back the notices every other builder sent (demo.py).
    demo="zugong.console.demo:build",
    demo_order=990,
    urls=(("", "zugong.console.urls_root"), ("system/", "zugong.console.urls")),
    audit_entities={"console.audit": _("audit log"), "console.dictionary": _("code table")},
    audit_actions={"console.audit.read_values": _("read the values of an audit entry")},
)
