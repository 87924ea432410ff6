"""The reports app's part of the whole (see zugong/core/registry.py)."""

from django.utils.translation import gettext_lazy as _

from zugong.core.registry import Job, NavEntry, Plugin, grants
from zugong.people.access import BUSINESS_ROLES
from zugong.people.models import Role

from .access import Cap

PLUGIN = Plugin(
    capabilities={
        Cap.REPORTS_VIEW: "read figures, dashboards and roll-ups over the people in scope",
        Cap.REPORTS_MANAGE: "edit the catalogue of figures and the annual report's template, "
                            "refresh the roll-up summaries",
    },
    grants=grants(
        (BUSINESS_ROLES, {Cap.REPORTS_VIEW}),
        ((Role.HEAD, Role.DEPUTY, Role.ASSESSMENT), {Cap.REPORTS_MANAGE}),
    ),
    nav=(NavEntry("reports:home", _("Figures"), Cap.REPORTS_VIEW, order=78),),
    subnav=(
        NavEntry("reports:dashboard", _("Dashboard"), Cap.REPORTS_VIEW, key="dashboard"),
        NavEntry("reports:figures", _("Figures"), Cap.REPORTS_VIEW, key="figures"),
        NavEntry("reports:rollup", _("Roll-up"), Cap.REPORTS_VIEW, key="rollup"),
        NavEntry("reports:annual", _("Annual report"), Cap.REPORTS_VIEW, key="annual"),
        NavEntry("reports:catalogue", _("Catalogue"), Cap.REPORTS_VIEW, key="catalogue"),
    ),
    urls=(("reports/", "zugong.reports.urls"),),
    api="zugong.reports.api:router",
    workbench="zugong.reports.workbench:items",
    jobs=(Job("reports_summaries", "zugong.reports.tasks.refresh_summaries",
              {"hour": "3", "minute": "20"}),),
    audit_entities={"reports.summaries": _("roll-up summaries"),
                    "reports.annual": _("annual report"),
                    "reports.figures": _("figures")},
    audit_verbs={"refresh": _("refresh")},
)
