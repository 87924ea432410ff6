"""The console's part of the whole: home, notices and the administrators' pages."""

from django.utils.translation import gettext_lazy as _

from zugong.core.registry import NavEntry, Plugin, grants
from zugong.people.access import LEADER_ROLES

from .access import Cap

PLUGIN = Plugin(
    capabilities={
        Cap.RECYCLE_VIEW: "see the recycle bin (what one may delete, one may restore)",
        Cap.RECYCLE_ERASE: "erase deleted records for good on a legal request (PIPL)",
    },
    # The roles that delete records (people's sub-records, assessment indicators) see the
    # bin; erasing for good is the head's decision.
    grants=grants(
        ((*LEADER_ROLES, "assessment"), {Cap.RECYCLE_VIEW}),
        (("head",), {Cap.RECYCLE_ERASE}),
    ),
    nav=(
        NavEntry("home", _("Home"), None, order=0),
        NavEntry("console:recycle", _("Recycle bin"), Cap.RECYCLE_VIEW, order=85),
        NavEntry("console:dictionaries", _("Code tables"), Cap.DICT_CHANGE, order=90),
        NavEntry("console:jobs", _("Job runs"), Cap.JOBS_VIEW, order=91),
        NavEntry("console:audit", _("Audit log"), Cap.AUDIT_VIEW, order=92),
    ),
    urls=(("", "zugong.console.urls_root"), ("system/", "zugong.console.urls")),
)
