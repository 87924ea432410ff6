"""The talent app's part of the whole (see zugong/core/registry.py)."""

from django.utils.translation import gettext_lazy as _

from zugong.core.registry import Job, NavEntry, Plugin, grants
from zugong.people.access import BUSINESS_ROLES, LEADER_ROLES

from .access import Cap

PLUGIN = Plugin(
    capabilities={
        Cap.TALENT_VIEW: "read the department's talent database",
        Cap.TALENT_MANAGE: "record talents, evaluations, leaders' contacts and matters",
        Cap.TALENT_TEAM: "keep the reserve pool, promotion proposals, rotations and exits "
                         "of organization cadres in scope",
    },
    grants=grants(
        (BUSINESS_ROLES, {Cap.TALENT_VIEW}),
        (LEADER_ROLES, {Cap.TALENT_MANAGE}),
        (("head", "deputy"), {Cap.TALENT_TEAM}),
    ),
    nav=(NavEntry("talent:home", _("Talent"), Cap.TALENT_VIEW, order=72),),
    subnav=(
        NavEntry("talent:talents", _("Talent database"), key="talents"),
        NavEntry("talent:matters", _("Open matters"), key="matters"),
        NavEntry("talent:team", _("Team entry and exit"), Cap.TALENT_TEAM, key="team"),
    ),
    urls=(("talent/", "zugong.talent.urls"),),
    api="zugong.talent.api:router",
    metrics="zugong.talent.metrics.METRICS",
    demo="zugong.talent.demo:build",
    demo_order=72,
    workbench="zugong.talent.workbench:items",
    jobs=(Job("talent_matters", "zugong.talent.tasks.remind_open_matters",
              {"day_of_week": "1", "hour": "8", "minute": "20"}),),
    audit_entities={"talent.contact": _("contact with a talent"),
                    "talent.matter": _("talent's matter"),
                    "talent.candidate": _("reserve candidate"),
                    "talent.proposal": _("promotion proposal"),
                    "talent.exit": _("exit from the team")},
    audit_verbs={"evaluate": _("evaluate"), "solve": _("solve"), "decide": _("decide"),
                 "plan": _("plan")},
    audit_fields={"talent.contact.talent": _("talent"),
                  "talent.contact.matters": _("matters raised"),
                  "talent.rotation.to": _("to")},
)
