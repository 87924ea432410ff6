"""The service app's part of the whole (see zugong/core/registry.py)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zugong.core.registry import Job, NavEntry, PersonTab, Plugin, grants
from zugong.people.access import BUSINESS_ROLES, LEADER_ROLES

from .access import Cap

PLUGIN = Plugin(
    capabilities={
        Cap.SERVICE_VIEW: "keep one's own service records; read those in scope",
        Cap.SERVICE_MANAGE: "pair cadres in scope with points and households, assign "
                            "problems",
        Cap.SERVICE_RULES: "set the department's service rules",
    },
    grants=grants(
        (BUSINESS_ROLES, {Cap.SERVICE_VIEW}),
        (LEADER_ROLES, {Cap.SERVICE_MANAGE}),
        (("head",), {Cap.SERVICE_RULES}),
    ),
    nav=(NavEntry("service:home", _("Service"), Cap.SERVICE_VIEW, order=70),),
    subnav=(
        NavEntry("service:home", _("My service"), key="home"),
        NavEntry("service:visits", _("Visits"), key="visits"),
        NavEntry("service:problems", _("Problems"), key="problems"),
        NavEntry("service:deliveries", _("五送"), key="deliveries"),
        NavEntry("service:deeds", _("Practical matters"), key="deeds"),
        NavEntry("service:pairings", _("Points and households"), key="pairings"),
        NavEntry("service:orders", _("Expert orders"), key="orders"),
        NavEntry("service:liaisons", _("六联六促"), key="liaisons"),
        NavEntry("service:coverage", _("Coverage"), key="coverage"),
        NavEntry("service:rules", _("Rules"), key="rules"),
    ),
    person_tab=PersonTab("service", _("Service"), "service:person_tab", Cap.SERVICE_VIEW,
                         order=70),
    urls=(("service/", "zugong.service.urls"),),
    api="zugong.service.api:router",
    metrics="zugong.service.metrics.METRICS",
    demo="zugong.service.demo:build",
    demo_order=70,
    jobs=(Job("service_reminders", "zugong.service.tasks.remind_owed",
              {"hour": "8", "minute": "55"}),),
    audit_entities={"service.rule": _("service rule"), "service.point": _("contact point"),
                    "service.order": _("expert service order"),
                    "service.coverage": _("service coverage")},
    audit_verbs={"raise": _("raise"), "solve": _("solve"),
                 "place": pgettext_lazy("service", "place"),
                 "match": _("match"), "deliver": _("deliver"),
                 "code": _("issue a public rating code for"),
                 "public_rate": _("record the public's own rating of"),
                 "rate": _("rate"), "end": _("end the pairing of")},
    # Notice kinds read in Chinese wherever the audit log or settings name them.
    audit_actions={
        "service.coverage.owed": pgettext_lazy("audit", "service contact owed"),
        "service.problem.assigned": pgettext_lazy("audit", "problem assigned to you"),
    },
)
