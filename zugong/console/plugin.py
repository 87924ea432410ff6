"""The console's part of the whole: home, notices and the administrators' pages."""

from django.utils.translation import gettext_lazy as _

from zugong.core.registry import NavEntry, Plugin, grants
from zugong.people.models import Role

from .access import Cap

PLUGIN = Plugin(
    nav=(
        NavEntry("home", _("Home"), None, order=0),
        NavEntry("console:dictionaries", _("Code tables"), Cap.DICT_CHANGE, order=90),
        NavEntry("console:jobs", _("Job runs"), Cap.JOBS_VIEW, order=91),
        NavEntry("console:audit", _("Audit log"), Cap.AUDIT_VIEW, order=92),
    ),
    urls=(("", "zugong.console.urls_root"), ("system/", "zugong.console.urls")),
    capabilities={Cap.AUDIT_VALUES: "read the values audit entries record, in scope (audited)"},
    # The head answers for the department's records, supervision checks them; never one
    # of the three administrators.
    grants=grants(((Role.HEAD, Role.SUPERVISION), {Cap.AUDIT_VALUES})),
    audit_entities={"console.audit": _("audit log"), "console.dictionary": _("code table")},
    audit_actions={"console.audit.read_values": _("read the values of an audit entry")},
)
