"""Permission-matrix rows of the supervision pages and endpoints (gathered by
tests/test_permission_matrix.py). Content is sensitive: only the head and the supervision
officer in scope read it; cadres see their own reports only; administrators nothing."""

import datetime as dt

from tests.permissions import BUSINESS, expect, only
from zugong.core.audit import SYSTEM
from zugong.supervision import services
from zugong.supervision.models import (
    ArchiveRequest,
    Lead,
    Measure,
    Partner,
    PersonalReport,
    SelfCheck,
    StudyActivity,
)

DAY = dt.date(2026, 3, 2)
READERS = ("head", "supervisor", "outsider")  # the outsider reads in their own department


def _inquiry(cast):
    measure = Measure.objects.filter(kind="inquiry").first() or services.measure_record(
        by=SYSTEM, person=cast.people["cadre"], kind="inquiry", on=DAY, source="report",
        facts="反映其亲属经商", reply_due=DAY + dt.timedelta(days=15))
    return [measure.pk]


def _report(cast):
    report = PersonalReport.objects.filter(person=cast.people["cadre"]).first() or \
        services.report_file(by=cast["cadre"], kind="annual", year=2026, on=DAY,
                             family_jobs="配偶在县医院工作")
    return [report.pk]


def _reply_body(cast):
    m = Measure.objects.get(pk=_inquiry(cast)[0])
    return {"version": m.version, "replied_on": "2026-03-10", "reply": "情况不属实",
            "verdict": "truthful"}


def _check_body(cast):
    r = PersonalReport.objects.get(pk=_report(cast)[0])
    return {"version": r.version, "check_kind": "random", "check_result": "truthful",
            "checked_on": "2026-03-10"}


def _selfcheck(cast):
    item = SelfCheck.objects.filter(person=cast.people["cadre"]).first() or \
        services.selfcheck_record(by=cast["cadre"], risk="八小时外交往不够谨慎",
                                  measure="主动报告", due_on=DAY + dt.timedelta(days=30),
                                  on=DAY)
    return [item.pk]


def _close_body(cast):
    item = SelfCheck.objects.get(pk=_selfcheck(cast)[0])
    return {"version": item.version, "closed_on": "2026-03-20", "closing_note": "已整改"}


def _study(cast):
    item = StudyActivity.objects.filter(unit=cast.sec_org).first() or \
        services.study_record(by=SYSTEM, unit=cast.sec_org, on=DAY, topic="学习纪律处分条例",
                              participants=[cast.people["cadre"], cast.people["chief"]],
                              summary="逐条学习")
    return [item.pk]


def _asked(cast):
    """A pending request of the section chief to read the archive of a cadre of his."""
    item = ArchiveRequest.objects.filter(status="pending").first() or \
        services.archive_request(by=cast["chief"], person=cast.people["cadre"],
                                 reason="拟推荐为后备干部，需了解其监督情况")
    return [item.pk]


def _granted(cast):
    item = ArchiveRequest.objects.filter(status="approved").first()
    if item is None:
        item = services.archive_request(by=cast["chief"], person=cast.people["cadre"],
                                        reason="年度考核前了解情况")
        item = services.archive_decide(by=cast["head"], request=item, version=item.version,
                                       approve=True)
    return [item.pk]


def _lead(cast):
    lead = Lead.objects.first()
    if lead is None:
        services.ensure_partners()
        lead = services.lead_record(by=SYSTEM, person=cast.people["cadre"],
                                    partner=Partner.objects.get(code="sjj"), on=DAY,
                                    summary="审计发现其经手项目资金拨付不规范")
    return [lead.pk]


SEE_CADRE = expect(403, head=200, supervisor=200, outsider=404)
OWN_REPORT = expect(404, cadre=200, head=200, supervisor=200, sysadmin=403, secadmin=403,
                    auditor=403)

ARCHIVE_SEEN = expect(404, chief=200, head=200, supervisor=200, sysadmin=403, secadmin=403,
                      auditor=403)

ROWS = {
    "supervision:home": ("get", None, None, only(302, BUSINESS)),
    "supervision:measures": ("get", None, None, only(200, READERS)),
    "supervision:measures_export": ("get", None, None, only(200, READERS)),
    "supervision:measure_add": ("get", None, None, only(200, ("supervisor",))),
    "supervision:measure": ("get", _inquiry, None, SEE_CADRE),
    "supervision:measure_reply": ("post", _inquiry, _reply_body,
                                  expect(403, supervisor=302, outsider=404)),
    "supervision:reports": ("get", None, None, only(200, BUSINESS)),
    "supervision:report_add": ("get", None, None, only(200, BUSINESS)),
    "supervision:report": ("get", _report, None, OWN_REPORT),
    # The head reads but does not check; nobody checks their own report.
    "supervision:report_check": ("post", _report, _check_body,
                                 {**OWN_REPORT, "cadre": 403, "head": 403,
                                  "supervisor": 302}),
    "supervision:integrity": ("get", None, None, only(200, BUSINESS)),
    # Each member signs for themselves; the cast's administrators have no person.
    "supervision:commitment_sign": ("post", None, None, only(302, BUSINESS)),
    "supervision:package_record": ("post", None,
                                   lambda c: {"item": "film", "on": "2026-03-02"},
                                   only(302, BUSINESS)),
    "supervision:selfcheck_add": ("post", None,
                                  lambda c: {"risk": "饭局邀约", "measure": "婉拒",
                                             "due_on": "2099-01-01"},
                                  only(302, BUSINESS)),
    "supervision:selfcheck": ("get", _selfcheck, None, OWN_REPORT),
    "supervision:integrity_overview": ("get", None, None, only(200, READERS)),
    "supervision:ratings": ("get", None, None, only(200, READERS)),
    "supervision:studies": ("get", None, None, only(200, READERS)),
    "supervision:study": ("get", _study, None, SEE_CADRE),
    "supervision:archive": ("get", None, None, only(200, BUSINESS)),
    "supervision:archive_add": ("get", None, None,
                                only(200, ("deputy", "chief", "assessor"))),
    # The requester, the head over the cadre and the supervision office see a request.
    "supervision:archive_request": ("get", _asked, None, ARCHIVE_SEEN),
    # Only the head decides; the requester and the office see it but may not.
    "supervision:archive_decide": ("post", _asked,
                                   lambda c: {"version": 1, "approve": "yes"},
                                   {**ARCHIVE_SEEN, "head": 302, "chief": 403,
                                    "supervisor": 403}),
    # Only the requester reads under a request; for anyone else it does not exist.
    "supervision:archive_read": ("get", _granted, None, expect(404, chief=200)),
    "supervision:political_archive": ("get", lambda c: [c.people["cadre"].pk], None,
                                      SEE_CADRE),
    "supervision:leads": ("get", None, None, only(200, READERS)),
    "supervision:leads_export": ("get", None, None, only(200, READERS)),
    "supervision:ratings_export": ("get", None, None, only(200, READERS)),
    "supervision:lead": ("get", _lead, None, SEE_CADRE),
    "supervision:observations": ("get", None, None, only(200, READERS)),
    "api:list_supervision_leads": ("get", None, None, only(200, READERS, anonymous=401)),
    "supervision:warnings": ("get", None, None, only(200, READERS)),
    "supervision:person_tab": ("get", lambda c: [c.people["cadre"].pk], None, SEE_CADRE),
    "api:list_supervision_measures": ("get", None, None,
                                      only(200, READERS, anonymous=401)),
    "api:get_supervision_measure": ("get", _inquiry, None, {**SEE_CADRE, None: 401}),
    "api:create_supervision_measure": (
        "post", None,
        lambda c: {"person_id": c.people["cadre"].pk, "kind": "reminder", "source": "daily",
                   "on": "2026-03-01", "facts": "提醒其注意工作方法"},
        expect(403, supervisor=201, anonymous=401)),
    "api:list_supervision_reports": ("get", None, None, only(200, BUSINESS, anonymous=401)),
}
