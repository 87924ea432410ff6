"""The supervision app's part of the whole (see zugong/core/registry.py)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zugong.core.registry import Job, NavEntry, PersonTab, Plugin, grants
from zugong.people.access import BUSINESS_ROLES

from .access import Cap

PLUGIN = Plugin(
    capabilities={
        Cap.SUPERVISION_VIEW: "read supervision measures and personal reports in scope "
                              "(each read of content audited)",
        Cap.SUPERVISION_MANAGE: "record measures and check personal reports in scope",
        Cap.SUPERVISION_REPORT: "file and read one's own personal-matter reports",
        Cap.ARCHIVE_REQUEST: "ask to read the supervision archive of a cadre in scope",
        Cap.ARCHIVE_APPROVE: "approve requests to read the supervision archive in scope",
    },
    grants=grants(
        (BUSINESS_ROLES, {Cap.SUPERVISION_REPORT}),
        (("head",), {Cap.SUPERVISION_VIEW, Cap.ARCHIVE_APPROVE}),
        (("deputy", "section_chief", "assessment"), {Cap.ARCHIVE_REQUEST}),
        (("supervision",), {Cap.SUPERVISION_VIEW, Cap.SUPERVISION_MANAGE}),
    ),
    nav=(NavEntry("supervision:home", _("Supervision"), Cap.SUPERVISION_REPORT, order=65),),
    subnav=(
        NavEntry("supervision:measures", _("Measures"), Cap.SUPERVISION_VIEW, key="measures"),
        NavEntry("supervision:reports", _("Personal reports"), key="reports"),
        NavEntry("supervision:integrity", _("My integrity"), key="integrity"),
        NavEntry("supervision:integrity_overview", _("Integrity overview"),
                 Cap.SUPERVISION_VIEW, key="overview"),
        NavEntry("supervision:leads", _("Leads"), Cap.SUPERVISION_VIEW, key="leads"),
        NavEntry("supervision:observations", _("Observations"), Cap.SUPERVISION_VIEW,
                 key="observations"),
        NavEntry("supervision:warnings", _("Early warning"), Cap.SUPERVISION_VIEW,
                 key="warnings"),
        NavEntry("supervision:archive", _("Archive viewing"), key="archive"),
        NavEntry("supervision:ratings", _("Integrity ratings"), Cap.SUPERVISION_VIEW,
                 key="ratings"),
        NavEntry("supervision:studies", _("Discipline study"), Cap.SUPERVISION_VIEW,
                 key="studies"),
    ),
    person_tab=PersonTab("supervision", _("Supervision"), "supervision:person_tab",
                         Cap.SUPERVISION_VIEW, order=60),
    urls=(("supervision/", "zugong.supervision.urls"),),
    api="zugong.supervision.api:router",
    metrics="zugong.supervision.metrics.METRICS",
    demo="zugong.supervision.demo:build",
    demo_order=60,
    jobs=(Job("supervision_reports", "zugong.supervision.tasks.remind_reports",
              {"hour": "8", "minute": "50"}),),
    hooks={"supervision.admonishments": "zugong.supervision.selectors.admonishments"},
    # The audit log's Chinese names (core.audit_labels); other entities are model names.
    audit_entities={"supervision.report": _("personal-matter report"),
                    "supervision.package": _("integrity package item"),
                    "supervision.study": _("discipline-study activity"),
                    "supervision.archive": _("cadre's supervision archive"),
                    "supervision.rating": _("Integrity ratings")},
    audit_actions={
        "supervision.archive.decided": pgettext_lazy("audit", "archive request decided"),
        "supervision.archive.requested": pgettext_lazy("audit", "archive reading requested"),
        "supervision.lead.assigned": pgettext_lazy("audit", "supervision lead assigned to you"),
        "supervision.archive_request.request": _("ask to read a cadre's archive"),
                   "supervision.archive_request.decide": _("decide on an archive request"),
                   "supervision.report.overdue": _("personal-matter report overdue")},
    audit_verbs={"reply": _("record the reply to"), "check": _("record a check of"),
                 "sign": _("sign")},
)
