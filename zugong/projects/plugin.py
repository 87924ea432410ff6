"""The projects app's part of the whole (see zugong/core/registry.py)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zugong.core.registry import Job, NavEntry, Plugin, grants
from zugong.people.access import BUSINESS_ROLES

from .access import Cap

PLUGIN = Plugin(
    capabilities={
        Cap.PROJECTS_VIEW: "read the department's innovation projects, declare one",
        Cap.PROJECTS_CLASSIFY: "classify projects, assign the guiding section, fund and "
                               "record results and awards",
        Cap.PROJECTS_RULES: "set the department's follow-up rules",
    },
    grants=grants(
        (BUSINESS_ROLES, {Cap.PROJECTS_VIEW}),
        (("head", "deputy"), {Cap.PROJECTS_CLASSIFY}),
        (("head",), {Cap.PROJECTS_RULES}),
    ),
    nav=(NavEntry("projects:list", _("Innovation"), Cap.PROJECTS_VIEW, order=75),),
    subnav=(
        NavEntry("projects:list", _("Innovation projects"), key="list"),
        NavEntry("projects:coverage", _("Follow-up coverage"), key="coverage"),
        NavEntry("projects:ideas", _("Ideas and information"), key="ideas"),
        NavEntry("projects:adoptions", _("Information adopted"), key="adoptions"),
        NavEntry("projects:rules", _("Rules"), key="rules"),
    ),
    urls=(("projects/", "zugong.projects.urls"),),
    api="zugong.projects.api:router",
    metrics="zugong.projects.metrics.METRICS",
    demo="zugong.projects.demo:build",
    demo_order=75,
    jobs=(Job("projects_reminders", "zugong.projects.tasks.remind_owed",
              {"hour": "9", "minute": "0"}),),
    audit_entities={"projects.project": _("innovation project"),
                    "projects.rule": _("project rule"),
                    "projects.followup": _("project follow-up"),
                    "projects.idea": _("idea or information item"),
                    "projects.adoption": _("information adoption")},
    audit_verbs={"declare": _("declare"), "classify": _("classify"), "fund": _("fund"),
                 "finish": _("finish"), "submit": _("submit"), "review": _("review")},
    # Notice kinds read in Chinese wherever the audit log or settings name them.
    audit_actions={
        "projects.followup.owed": pgettext_lazy("audit", "project follow-up owed"),
        "projects.project.classified": pgettext_lazy("audit", "project classified"),
    },
)
