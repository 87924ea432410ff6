"""The partylife app's part of the whole (see zugong/core/registry.py)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zugong.core.registry import Job, NavEntry, PersonTab, Plugin, grants
from zugong.people.access import BUSINESS_ROLES, LEADER_ROLES

from .access import Cap

PLUGIN = Plugin(
    capabilities={
        Cap.PARTYLIFE_VIEW: "see the Party meetings of branches in scope and one's own",
        Cap.PARTYLIFE_RECORD: "record meetings, attendance and appraisals for branches in "
                              "scope",
        Cap.PARTYLIFE_LEAD: "read sensitive minutes, checking material and criticisms of "
                            "members in scope",
        Cap.RECT_VIEW: "see one's own problems and rectification measures, and those in scope",
        Cap.RECT_MANAGE: "record problems, set, verify and close rectification measures in "
                         "scope",
    },
    grants=grants(
        (BUSINESS_ROLES, {Cap.PARTYLIFE_VIEW, Cap.RECT_VIEW}),
        (LEADER_ROLES, {Cap.PARTYLIFE_RECORD, Cap.PARTYLIFE_LEAD, Cap.RECT_MANAGE}),
        (("supervision",), {Cap.RECT_MANAGE}),
    ),
    nav=(NavEntry("partylife:home", _("Party life"), Cap.PARTYLIFE_VIEW, order=70),),
    subnav=(
        NavEntry("partylife:meetings", _("Meetings"), Cap.PARTYLIFE_VIEW, key="meetings"),
        NavEntry("partylife:coverage", _("Coverage"), Cap.PARTYLIFE_LEAD, key="coverage"),
        NavEntry("partylife:duties", _("Responsibility list"), Cap.RECT_VIEW, key="duties"),
        NavEntry("partylife:problems", _("Problem list"), Cap.RECT_VIEW, key="problems"),
        NavEntry("partylife:measures", _("Rectification list"), Cap.RECT_VIEW,
                 key="measures"),
    ),
    person_tab=PersonTab("partylife", _("Party life"), "partylife:person_tab",
                         Cap.PARTYLIFE_LEAD, order=70),
    urls=(("partylife/", "zugong.partylife.urls"),),
    api="zugong.partylife.api:router",
    metrics="zugong.partylife.metrics.METRICS",
    demo="zugong.partylife.demo:build",
    demo_order=70,
    jobs=(Job("rectification_reminders", "zugong.partylife.tasks.remind_measures",
              {"hour": "8", "minute": "55"}),
          Job("partylife_coverage", "zugong.partylife.tasks.remind_coverage",
              {"hour": "9", "minute": "5"})),
    # The audit log's Chinese names (core.audit_labels).
    # Other entities read as their models' names (Meeting, Attendance, RectMeasure …).
    audit_entities={"partylife.rule": _("meeting frequency rule")},
    audit_verbs={"mark": _("mark"), "minutes": _("write the minutes of"),
                 "link": _("link"), "check": _("record a check of")},
    # Notice kinds read in Chinese wherever the audit log or settings name them.
    audit_actions={
        "partylife.coverage.due": pgettext_lazy("audit", "party-life meetings due"),
        "partylife.rectmeasure.escalate": pgettext_lazy(
            "audit", "overdue rectification measure escalated"),
        "partylife.rectmeasure.overdue": pgettext_lazy("audit", "rectification measure overdue"),
    },
)
