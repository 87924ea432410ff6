"""The assessment app's part of the whole (see zugong/core/registry.py)."""

from django.utils.translation import gettext_lazy as _

from zugong.core.registry import Job, NavEntry, PersonTab, Plugin, grants
from zugong.people.access import BUSINESS_ROLES, LEADER_ROLES

from . import audit_names
from .access import Cap

PLUGIN = Plugin(
    capabilities={
        Cap.ASSESS_VIEW: "take part in assessment; read one's own results",
        Cap.ASSESS_LEAD: "rate, and keep the everyday record of people in scope",
        Cap.ASSESS_MANAGE: "run plans and results (assessment office)",
    },
    grants=grants(
        (BUSINESS_ROLES, {Cap.ASSESS_VIEW}), (LEADER_ROLES, {Cap.ASSESS_LEAD}),
        (("head", "assessment"), {Cap.ASSESS_MANAGE}),
    ),
    nav=(NavEntry("assessment:home", _("Assessment"), Cap.ASSESS_VIEW, order=50),),
    subnav=(
        NavEntry("assessment:home", _("My assessment"), key="home"),
        NavEntry("assessment:plans", _("Plans"), key="plans"),
        NavEntry("assessment:notes", _("Everyday record"), key="notes"),
        NavEntry("assessment:history", _("History"), key="history"),
        NavEntry("assessment:templates", _("Templates"), key="templates"),
        NavEntry("assessment:consequences", _("Consequences"), Cap.ASSESS_MANAGE,
                 key="consequences"),
    ),
    person_tab=PersonTab("assessment", _("Assessment"), "assessment:person_tab",
                         Cap.ASSESS_VIEW, order=20),
    urls=(("assessment/", "zugong.assessment.urls"),),
    api="zugong.assessment.api:router",
    metrics="zugong.assessment.metrics.METRICS",
    demo="zugong.assessment.demo:build",
    demo_order=30,
    jobs=(Job("assessment_reminders", "zugong.assessment.tasks.send_score_reminders",
              {"hour": "9", "minute": "0"}),),
    hooks={"assessment.everyday_note": "zugong.assessment.services:everyday_note_add",
           "assessment.negative_notes": "zugong.assessment.hooks:negative_notes",
           "assessment.archive_entries": "zugong.assessment.hooks:archive_entries",
           "recycle.assessment.indicator":
               "zugong.assessment.services.plans:indicator_restore_check"},
    workbench="zugong.assessment.workbench:items",
    audit_entities=audit_names.ENTITIES,
    audit_fields=audit_names.FIELDS,
    audit_actions=audit_names.ACTIONS,
)
