"""The care app's part of the whole (see zugong/core/registry.py)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zugong.core.registry import Job, NavEntry, PersonTab, Plugin, grants
from zugong.people.access import BUSINESS_ROLES, LEADER_ROLES

from .access import Cap

PLUGIN = Plugin(
    capabilities={
        Cap.CARE_VIEW: "read activities, political birthdays and leave in scope",
        Cap.CARE_MANAGE: "record activities, participation, birthdays and leave in scope",
        Cap.CARE_SENSITIVE: "read and record health and hardship records in scope "
                            "(each read of content audited)",
    },
    grants=grants(
        (BUSINESS_ROLES, {Cap.CARE_VIEW}),
        (LEADER_ROLES, {Cap.CARE_MANAGE}),
        (("head", "deputy"), {Cap.CARE_SENSITIVE}),
    ),
    nav=(NavEntry("care:home", _("Care"), Cap.CARE_VIEW, order=75),),
    subnav=(
        NavEntry("care:activities", _("Activities"), key="activities"),
        NavEntry("care:birthdays", _("Political birthdays"), key="birthdays"),
        NavEntry("care:leave", _("Annual leave"), key="leave"),
        NavEntry("care:health", _("Health"), Cap.CARE_SENSITIVE, key="health"),
        NavEntry("care:hardships", _("Hardship support"), Cap.CARE_SENSITIVE, key="hardship"),
    ),
    person_tab=PersonTab("care", _("Care"), "care:person_tab", Cap.CARE_VIEW, order=70),
    urls=(("care/", "zugong.care.urls"),),
    api="zugong.care.api:router",
    metrics="zugong.care.metrics.METRICS",
    demo="zugong.care.demo:build",
    demo_order=70,
    workbench="zugong.care.workbench:items",
    jobs=(Job("care_birthdays", "zugong.care.tasks.notify_birthdays",
              {"hour": "8", "minute": "10"}),),
    # The audit log's Chinese names (core.audit_labels); other entities are model names.
    audit_entities={"care.birthday": _("political birthday"),
                    "care.leave": _("annual leave"),
                    "care.health": _("health record")},
    audit_verbs={"join": _("add participants to"), "mark": _("mark")},
    audit_fields={"care.activity.participants": _("participants")},
    # Notice kinds read in Chinese wherever the audit log or settings name them.
    audit_actions={
        "care.birthday.today": pgettext_lazy("audit", "political birthday today"),
    },
    # The ability app's forum rotation skips a speaker on annual leave (dates only).
    hooks={"care.leave_periods": "zugong.care.hooks:leave_periods"},
)
