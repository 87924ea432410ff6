"""Supervision: measures, the 诫勉 veto and promotion bar, personal-matter reports, their
reminders, encryption at rest and who reads what (issue 17, points 1, 2 and 8)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from zugong.core.audit import SYSTEM
from zugong.core.models import AuditEntry, Notice
from zugong.core.registry import hook
from zugong.core.versioning import ConflictError
from zugong.supervision import selectors, services
from zugong.supervision.models import Measure, PersonalReport, SelfCheck

DAY = dt.date(2026, 3, 2)


def _measure(cast, kind="reminder", person="cadre", on=DAY, **extra):
    if kind == "inquiry":
        extra.setdefault("reply_due", on + dt.timedelta(days=15))
    return services.measure_record(by=cast["supervisor"], person=cast.people[person],
                                   kind=kind, on=on, source="report",
                                   facts="群众反映其作风粗暴", **extra)


def _raw(table, column, pk):
    with connection.cursor() as cur:
        cur.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cur.fetchone()[0]


# ---------------------------------------------------------------- measures


def test_a_measure_is_encrypted_at_rest_and_its_audit_has_no_content(cast):
    m = _measure(cast, "inquiry")
    raw = _raw("supervision_measure", "facts", m.pk)
    assert "作风" not in raw and raw  # ciphertext in the table
    assert Measure.objects.get(pk=m.pk).facts == "群众反映其作风粗暴"
    entry = AuditEntry.objects.filter(action="supervision.measure.record").latest("seq")
    assert "作风" not in str(entry.after) and entry.after["kind"] == "inquiry"


def test_an_officer_records_only_within_scope_and_out_of_scope_reads_like_missing(cast):
    with pytest.raises(ValidationError) as out:
        _measure(cast, person="outsider")
    assert out.value.message_dict == {"person": ["请选择您职责范围内的干部。"]}
    with pytest.raises(ValidationError):
        services.measure_record(by=cast["head"], person=cast.people["cadre"],
                                kind="reminder", on=DAY, source="daily", facts="提醒")
    assert not Measure.objects.exists()


def test_an_inquiry_needs_a_deadline_and_takes_a_reply_with_its_verdict(cast):
    with pytest.raises(ValidationError) as exc:
        services.measure_record(by=cast["supervisor"], person=cast.people["cadre"],
                                kind="inquiry", on=DAY, source="report", facts="函询")
    assert "reply_due" in exc.value.message_dict
    m = _measure(cast, "inquiry")
    assert m.awaiting_reply
    done = services.measure_reply(by=cast["supervisor"], measure=m, version=m.version,
                                  replied_on=DAY + dt.timedelta(days=9), reply="如实说明",
                                  verdict="untruthful", outcome="转为诫勉")
    assert (done.verdict, done.version, done.awaiting_reply) == ("untruthful", 2, False)
    assert "如实说明" not in _raw("supervision_measure", "reply", m.pk)
    with pytest.raises(ConflictError):  # a stale version is refused, nothing changes
        services.measure_reply(by=cast["supervisor"], measure=m, version=1,
                               replied_on=DAY + dt.timedelta(days=9), reply="再次",
                               verdict="truthful")
    assert Measure.objects.get(pk=m.pk).reply == "如实说明"


def test_an_admonishment_bars_promotion_for_six_months_by_default(cast):
    m = _measure(cast, "admonishment", on=dt.date(2026, 8, 31))
    # 31 August + 6 months is the end of February: the bar's last day is 27 February.
    assert m.impact_months == 6 and m.impact_until == dt.date(2027, 2, 27)
    pid = cast.people["cadre"].pk
    assert selectors.promotion_barred_until([pid], dt.date(2026, 12, 1)) == {
        pid: dt.date(2027, 2, 27)}
    assert selectors.promotion_barred_until([pid], dt.date(2027, 2, 28)) == {}


def test_an_admonishment_in_the_year_reaches_the_assessment_veto(cast):
    """The hook assessment calls: a 诫勉 inside the plan's period vetoes 优秀; one from the
    year before does not. The line names the measure and its day, never the facts."""
    from zugong.assessment import scoring
    from zugong.assessment.tests.helpers import annual_plan, section

    unit, people = section(cast, size=2)
    services.measure_record(by=SYSTEM, person=people[0], kind="admonishment",
                            on=dt.date(2026, 5, 6), source="lead", facts="违规吃喝")
    services.measure_record(by=SYSTEM, person=people[1], kind="admonishment",
                            on=dt.date(2025, 12, 30), source="lead", facts="去年的诫勉")
    assert hook("supervision.admonishments") is selectors.admonishments
    plan = annual_plan(cast, unit)
    facts = scoring._veto_facts(plan, [p.pk for p in people])
    assert facts[people[0].pk] == [{"reason": "admonished", "source": "supervision",
                                    "text": "诫勉 2026-05-06"}]
    assert people[1].pk not in facts


def test_the_measures_list_counts_by_hand(cast, client):
    for kind in ("reminder", "reminder", "inquiry", "admonishment"):
        _measure(cast, kind)
    _measure(cast, "reminder", person="managed", on=dt.date(2025, 6, 1))
    client.force_login(cast["head"])
    rows = client.get(reverse("supervision:measures"), {"start": "2026-01-01"}).context["rows"]
    assert len(rows) == 4
    rows = client.get(reverse("supervision:measures"), {"kind": "reminder"}).context["rows"]
    assert len(rows) == 3


# ---------------------------------------------------------------- reports


def test_a_cadre_files_a_yearly_report_once_and_sees_only_their_own(cast, client):
    report = services.report_file(by=cast["cadre"], kind="annual", year=2026, on=DAY,
                                  family_jobs="配偶在县医院工作", real_estate="住房一套")
    assert "县医院" not in _raw("supervision_personalreport", "family_jobs", report.pk)
    assert not report.on_time and report.due_on == dt.date(2026, 1, 31)
    with pytest.raises(ValidationError) as exc:
        services.report_file(by=cast["cadre"], kind="annual", year=2026, on=DAY,
                             investments="无")
    assert "year" in exc.value.message_dict
    other = services.report_file(by=cast["cadre2"], kind="change", year=2026, on=DAY,
                                 changed_on=dt.date(2026, 2, 20), travel_documents="新办护照")
    assert other.due_on == dt.date(2026, 3, 22) and other.on_time
    client.force_login(cast["cadre"])
    listed = client.get(reverse("supervision:reports")).context["rows"]
    assert [r.pk for r in listed] == [report.pk]
    assert client.get(reverse("supervision:report", args=[other.pk])).status_code == 404
    client.force_login(cast["supervisor"])
    listed = client.get(reverse("supervision:reports")).context["rows"]
    assert {r.pk for r in listed} == {report.pk, other.pk}


def test_an_empty_report_and_a_future_change_are_refused_in_chinese(cast, client):
    client.force_login(cast["cadre"])
    response = client.post(reverse("supervision:report_add"), {
        "kind": "change", "year": "2026", "changed_on": "2099-01-01"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "无" in page and "变化" in page
    assert not PersonalReport.objects.exists()


def test_a_check_records_an_omission_with_its_handling(cast):
    report = services.report_file(by=cast["cadre"], kind="annual", year=2026, on=DAY,
                                  investments="无")
    with pytest.raises(ValidationError) as exc:
        services.report_check(by=cast["supervisor"], report=report, version=1,
                              check_kind="random", check_result="omitted",
                              checked_on=DAY)
    assert "handling" in exc.value.message_dict
    checked = services.report_check(by=cast["supervisor"], report=report, version=1,
                                    check_kind="random", check_result="omitted",
                                    checked_on=DAY, handling="批评教育，责令补报")
    assert checked.check_result == "omitted" and checked.checked_by == cast["supervisor"]


def test_overdue_reports_remind_then_escalate_to_the_supervision_office(cast):
    managed = cast.people["managed"]
    from zugong.people import services as people_services

    account, _pw = people_services.account_create(by=None, username="tianzq", person=managed,
                                                  password="Zugong@2026x", must_change=False)
    assert services.reports_remind(today=dt.date(2026, 1, 10)) == {"reminded": 0,
                                                                   "escalated": 0}
    assert services.reports_remind(today=dt.date(2026, 1, 25)) == {"reminded": 1,
                                                                   "escalated": 0}
    # The same week again: nothing new. Seventeen days late: the officer is told.
    assert services.reports_remind(today=dt.date(2026, 1, 25))["reminded"] == 0
    sent = services.reports_remind(today=dt.date(2026, 2, 17))
    assert sent == {"reminded": 1, "escalated": 1}
    late = Notice.objects.get(kind="supervision.report.overdue")
    assert late.recipient == cast["supervisor"] and "田志强" in late.title
    services.report_file(by=account, kind="annual", year=2026, on=dt.date(2026, 2, 18),
                         investments="无")
    assert services.reports_remind(today=dt.date(2026, 2, 24)) == {"reminded": 0,
                                                                   "escalated": 0}


def test_the_owed_list_counts_leading_cadres_in_scope(cast, client):
    client.force_login(cast["supervisor"])
    owed = client.get(reverse("supervision:reports"), {"year": "2026"}).context["owed"]
    assert [o.person.name for o in owed] == ["田志强"]


# ---------------------------------------------------------------- reads and administrators


def test_every_content_read_is_audited_and_the_auditor_reads_none(cast, client):
    m = _measure(cast, "reminder")
    client.force_login(cast["head"])
    page = client.get(reverse("supervision:measure", args=[m.pk])).content.decode()
    assert "作风粗暴" in page
    read = AuditEntry.objects.filter(action="supervision.measure.view").latest("seq")
    assert read.actor == cast["head"] and read.object_id == str(m.pk)
    assert "作风" not in str(read.after)
    for admin in ("auditor", "sysadmin", "secadmin"):
        client.force_login(cast[admin])
        for url in (reverse("supervision:measure", args=[m.pk]),
                    reverse("api:get_supervision_measure", args=[m.pk])):
            response = client.get(url)
            assert response.status_code in (403, 401) and "作风" not in \
                response.content.decode()


def test_the_api_lists_measures_and_reports_as_pages_without_content(cast, client):
    for _ in range(3):
        _measure(cast, "reminder")
    client.force_login(cast["head"])
    body = client.get("/api/v1/supervision/measures", {"limit": "2"}).json()
    assert len(body["items"]) == 2 and body["next"]
    assert "facts" not in body["items"][0]
    rest = client.get("/api/v1/supervision/measures", {"cursor": body["next"]}).json()
    assert len(rest["items"]) == 1 and rest["next"] is None
    assert client.get("/api/v1/supervision/measures", {"limit": "-1"}).status_code == 422
    services.report_file(by=cast["cadre"], kind="annual", year=2026, on=DAY, investments="无")
    body = client.get("/api/v1/supervision/reports").json()
    assert [i["person"] for i in body["items"]] == ["李小红"]
    assert "investments" not in body["items"][0]


def test_the_api_refuses_an_out_of_scope_person_like_a_missing_one(cast, client):
    client.force_login(cast["supervisor"])
    answers = []
    for pk in (cast.people["outsider"].pk, 999_999_999, 2**63 + 5):
        response = client.post("/api/v1/supervision/measures", {
            "person_id": pk, "kind": "reminder", "source": "daily", "on": "2026-03-01",
            "facts": "提醒"}, content_type="application/json")
        answers.append((response.status_code, response.content))
    assert answers[0] == answers[1]
    assert answers[0][0] == 422 and "龙海" not in answers[0][1].decode()
    assert answers[2][0] == 422
    assert not Measure.objects.exists()


def test_the_person_tab_shows_the_bar_but_no_content(cast, client):
    m = _measure(cast, "admonishment", on=timezone.localdate() - dt.timedelta(days=30))
    client.force_login(cast["supervisor"])
    page = client.get(reverse("supervision:person_tab",
                              args=[cast.people["cadre"].pk])).content.decode()
    assert f"{m.impact_until:%Y-%m-%d} 前不得提拔" in page and "作风" not in page


# ---------------------------------------------------------------- integrity (points 3, 4)


def test_a_cadre_signs_once_and_records_the_six_for_herself(cast, client):
    services.commitment_sign(by=cast["cadre"], year=2026, on=DAY)
    with pytest.raises(ValidationError) as exc:
        services.commitment_sign(by=cast["cadre"], year=2026, on=DAY)
    assert exc.value.messages == ["本年度廉洁自律承诺已签订。"]
    for item in ("film", "lecture", "reflection"):
        services.package_record(by=cast["cadre"], item=item, on=DAY)
    with pytest.raises(ValidationError):
        services.package_record(by=cast["cadre"], item="film", on=DAY)
    # An officer records one for a cadre in scope, never for one outside it.
    services.package_record(by=cast["supervisor"], person=cast.people["cadre"],
                            item="talk", on=DAY)
    with pytest.raises(ValidationError):
        services.package_record(by=cast["supervisor"], person=cast.people["outsider"],
                                item="talk", on=DAY)
    client.force_login(cast["cadre"])
    page = client.get(reverse("supervision:integrity"), {"year": "2026"})
    assert page.context["done"] == 4 and page.context["commitment"] is not None


def test_the_overview_counts_completion_per_person_and_section_by_hand(cast, client):
    # 组织室: 张建国 (chief) and 李小红 (cadre); 干部室: 王磊 and 陈刚; 监督室: 刘芳.
    for item in ("film", "lecture", "reflection"):
        services.package_record(by=cast["cadre"], item=item, on=DAY)
    services.package_record(by=cast["chief"], item="film", on=DAY)
    services.commitment_sign(by=cast["cadre"], year=2026, on=DAY)
    services.selfcheck_record(by=cast["cadre2"], risk="饭局", measure="婉拒",
                              due_on=DAY + dt.timedelta(days=5), on=DAY)
    client.force_login(cast["supervisor"])
    ctx = client.get(reverse("supervision:integrity_overview"), {"year": "2026"}).context
    by_name = {r.person.name: r for r in ctx["rows"]}
    assert by_name["李小红"].done == 3 and by_name["李小红"].signed
    assert by_name["王磊"].open_checks == 1 and by_name["王磊"].overdue_checks == 1
    org = next(s for s in ctx["sections"] if s["unit"].name == "组织室")
    # (3 + 1) done of 2 people × 6 items = 33.3 %.
    assert (org["people"], org["done"], org["rate"], org["signed"]) == (2, 4, 33.3, 1)
    assert "龙海" not in by_name


def test_a_self_check_is_encrypted_closed_by_its_owner_and_read_by_the_officer(cast, client):
    item = services.selfcheck_record(by=cast["cadre"], risk="八小时外交往不够谨慎",
                                     measure="主动报告", due_on=DAY + dt.timedelta(days=30),
                                     on=DAY)
    assert "交往" not in _raw("supervision_selfcheck", "risk", item.pk)
    client.force_login(cast["cadre2"])
    assert client.get(reverse("supervision:selfcheck", args=[item.pk])).status_code == 404
    client.force_login(cast["supervisor"])
    assert "交往" in client.get(reverse("supervision:selfcheck",
                                      args=[item.pk])).content.decode()
    assert AuditEntry.objects.filter(action="supervision.selfcheck.view",
                                     object_id=str(item.pk)).exists()
    client.force_login(cast["cadre"])
    response = client.post(reverse("supervision:selfcheck", args=[item.pk]), {
        "version": item.version, "closed_on": "2026-03-20", "closing_note": ""})
    assert response.status_code == 400 and "整改" in response.content.decode()
    response = client.post(reverse("supervision:selfcheck", args=[item.pk]), {
        "version": item.version, "closed_on": "2026-03-20", "closing_note": "已主动报告"})
    assert response.status_code == 302
    assert SelfCheck.objects.get(pk=item.pk).closed_on == dt.date(2026, 3, 20)
