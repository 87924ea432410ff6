"""The console's part of the whole: home, notices and the administrators' pages."""

from django.utils.translation import gettext_lazy as _

from zugong.core.registry import NavEntry, Plugin
from zugong.people.access import Cap

PLUGIN = Plugin(
    nav=(
        NavEntry("home", _("Home"), None, order=0),
        NavEntry("console:setup", _("Departments"), Cap.DEPARTMENTS_CREATE, order=85),
        NavEntry("console:dictionaries", _("Code tables"), Cap.DICT_CHANGE, order=90),
        NavEntry("console:jobs", _("Job runs"), Cap.JOBS_VIEW, order=91),
        NavEntry("console:audit", _("Audit log"), Cap.AUDIT_VIEW, order=92),
    ),
    urls=(("", "zugong.console.urls_root"), ("system/", "zugong.console.urls")),
)
