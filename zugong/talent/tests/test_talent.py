"""Talent: the database by category and its evaluation, leaders' contacts with the matters
raised and solved and the reminder on open ones, the API list, and the team's entry and
exit with its structure (issue 21, points 4 and 5)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404

from zugong.core.audit import SYSTEM
from zugong.core.models import AuditEntry, Notice
from zugong.core.versioning import ConflictError
from zugong.talent import selectors, services
from zugong.talent.models import Exit, Talent

DAY = dt.date(2026, 3, 2)


def _talent(cast, by="head", **extra):
    data = {"name": "符建华", "category": "professional", "employer": "县人民医院",
            "added_on": DAY, "high_level": True, "phone": "13907430001",
            "leader": cast.people["head"]}
    data.update(extra)
    return services.talent_create(by=cast[by], department=cast.dept, **data)


def test_a_talent_keeps_its_phone_encrypted_and_out_of_the_audit(cast):
    talent = _talent(cast)
    with connection.cursor() as cur:
        cur.execute("SELECT phone FROM talent_talent WHERE id = %s", [talent.pk])
        raw = cur.fetchone()[0]
    assert "13907430001" not in raw
    assert Talent.objects.get(pk=talent.pk).phone == "13907430001"
    entry = AuditEntry.objects.filter(action="talent.talent.create").latest("seq")
    assert "1390743" not in str(entry.after)


def test_only_leaders_of_the_department_record_talents_and_leaders_in_scope(cast):
    with pytest.raises(PermissionDenied):
        _talent(cast, by="cadre")
    with pytest.raises(PermissionDenied):
        _talent(cast, by="outsider")
    with pytest.raises(ValidationError) as exc:  # the head is outside the chief's scope
        _talent(cast, by="chief")
    assert exc.value.message_dict == {"leader": ["请选择您职责范围内的干部。"]}
    with pytest.raises(ValidationError) as exc:
        _talent(cast, name="", category="x", employer="", phone="abc")
    assert set(exc.value.message_dict) == {"name", "category", "employer", "phone"}


def test_an_evaluation_gives_the_grade_and_a_stale_one_is_refused(cast):
    talent = _talent(cast)
    evaluated = services.talent_evaluate(by=cast["head"], talent=talent,
                                         version=talent.version, ability=90, results=85,
                                         contribution=79, evaluated_on=DAY)
    # (90 + 85 + 79) / 3 = 84.67 -> 84.7, grade B (70 to under 85).
    assert (str(evaluated.total), evaluated.grade) == ("84.7", "B")
    with pytest.raises(ConflictError):
        services.talent_evaluate(by=cast["head"], talent=talent, version=talent.version,
                                 ability=1, results=1, contribution=1, evaluated_on=DAY)
    with pytest.raises(ValidationError):
        services.talent_evaluate(by=cast["head"], talent=evaluated,
                                 version=evaluated.version, ability=101, results=0,
                                 contribution=0, evaluated_on=DAY)


def test_contacts_raise_matters_that_are_solved_and_counted(cast):
    talent = _talent(cast)
    contact = services.contact_record(
        by=cast["head"], talent=talent, leader=cast.people["head"], kind="visit", on=DAY,
        matters=[{"kind": "hukou", "text": "户籍迁入"}, {"kind": "housing", "text": "人才公寓"},
                 {"kind": "schooling", "text": ""}])  # an empty row is no matter
    first, second = contact.matters.order_by("pk")
    services.matter_solve(by=cast["deputy"], matter=first, version=first.version,
                          solved_on=DAY + dt.timedelta(days=20), solution="已办理落户")
    with pytest.raises(ValidationError):
        services.matter_solve(by=cast["head"], matter=second, version=second.version,
                              solved_on=DAY - dt.timedelta(days=1), solution="已安排")
    figures = selectors.talent_figures(user=cast["head"], year=2026)
    # One talent (high-level), one contact, two matters raised, one solved.
    assert (figures["total"], figures["high_level"], figures["contacts"], figures["raised"],
            figures["solved"]) == (1, 1, 1, 2, 1)
    assert [m.text for m in selectors.open_matters(user=cast["cadre"])] == ["人才公寓"]
    assert list(selectors.open_matters(user=cast["outsider"])) == []


def test_leaders_are_reminded_weekly_of_matters_open_more_than_thirty_days(cast):
    talent = _talent(cast)
    services.contact_record(by=cast["head"], talent=talent, leader=cast.people["head"],
                            kind="visit", on=DAY,
                            matters=[{"kind": "spouse_job", "text": "配偶就业"}])
    # 2026-04-01 is 30 days after 2026-03-02: not yet; 2026-04-02 is 31 days: reminded.
    assert services.matters_remind(today=dt.date(2026, 4, 1)) == 0
    assert services.matters_remind(today=dt.date(2026, 4, 2)) == 1
    assert services.matters_remind(today=dt.date(2026, 4, 3)) == 0  # same week
    notice = Notice.objects.get(kind="talent.matter.open")
    assert notice.recipient == cast["head"] and notice.url == "/talent/matters/"


def test_the_api_lists_talents_of_the_callers_department_only(cast, client):
    _talent(cast)
    client.force_login(cast["cadre2"])
    items = client.get("/api/v1/talent/talents").json()["items"]
    assert [(i["name"], i["high_level"], i["grade"]) for i in items] == [("符建华", True, "")]
    assert "phone" not in items[0]
    client.force_login(cast["outsider"])
    assert client.get("/api/v1/talent/talents").json()["items"] == []
    client.force_login(cast["auditor"])
    assert client.get("/api/v1/talent/talents").status_code == 403


def test_a_bad_talent_form_answers_in_chinese_not_500(cast, client):
    client.force_login(cast["head"])
    response = client.post("/talent/talents/new/", {"name": "", "added_on": "x"})
    assert response.status_code == 400 and "请" in response.content.decode()


# ---------------------------------------------------------------- the team (M41)


def test_a_reserve_candidate_is_evaluated_tried_and_decided(cast):
    candidate = services.candidate_add(by=cast["head"], person=cast.people["managed"],
                                       source="grassroots", on=DAY)
    assert candidate.department == cast.dept
    with pytest.raises(ValidationError) as exc:
        services.candidate_update(by=cast["head"], candidate=candidate,
                                  version=candidate.version, trial_from=DAY,
                                  trial_to=DAY - dt.timedelta(days=1), decision="accepted")
    assert set(exc.value.message_dict) == {"trial_to", "decided_on"}
    done = services.candidate_update(
        by=cast["head"], candidate=candidate, version=candidate.version, score=88,
        evaluation="实战辩才表现突出", trial_from=DAY + dt.timedelta(days=10),
        trial_to=DAY + dt.timedelta(days=100), decision="accepted",
        decided_on=DAY + dt.timedelta(days=110))
    assert (done.score, done.decision) == (88, "accepted")
    with pytest.raises(ValidationError):  # 龙海 is in another county
        services.candidate_add(by=cast["head"], person=cast.people["outsider"],
                               source="exam", on=DAY)
    with pytest.raises(Http404):
        selectors.candidate_get_for_user(cast["outsider"], done.pk)
    with pytest.raises(PermissionDenied):
        selectors.candidate_list(user=cast["chief"])


def test_the_structure_leaves_out_who_exited_and_counts_the_years_moves(cast):
    day = dt.date(2026, 6, 1)
    before = selectors.team_structure(user=cast["head"], department=cast.dept, on=day)
    # The cast's department has 7 organization cadres (head, deputy, chief, cadre, cadre2,
    # supervisor, assessor; 田志强 is a managed cadre).
    assert before["count"] == 7
    services.exit_record(by=cast["head"], person=cast.people["assessor"], kind="transfer",
                         on=DAY, reason="调任县人社局")
    rotation = services.rotation_plan(by=cast["deputy"], person=cast.people["cadre"],
                                      to_unit=cast.sec_cadre, on=DAY)
    services.rotation_done(by=cast["deputy"], rotation=rotation, version=rotation.version,
                           done_on=DAY)
    after = selectors.team_structure(user=cast["head"], department=cast.dept, on=day)
    assert (after["count"], after["exits"], after["rotations"]) == (6, 1, 1)
    with connection.cursor() as cur:
        cur.execute("SELECT reason FROM talent_exit")
        assert "人社局" not in cur.fetchone()[0]
    with pytest.raises(ValidationError):
        services.exit_record(by=cast["head"], person=cast.people["assessor"], kind="retire",
                             on=DAY, reason="再次")
    assert Exit.objects.count() == 1
    with pytest.raises(ValidationError):  # the same section is no rotation
        services.rotation_plan(by=cast["head"], person=cast.people["chief"],
                               to_unit=cast.sec_org, on=DAY)


def test_a_promotion_proposal_is_decided_once(cast):
    proposal = services.proposal_record(by=cast["head"], person=cast.people["cadre"],
                                        post="组织室副主任", reason="业绩突出", on=DAY)
    decided = services.proposal_decide(by=SYSTEM, proposal=proposal, version=proposal.version,
                                       status="approved", decided_on=DAY)
    assert decided.status == "approved"
    with pytest.raises(ValidationError):
        services.proposal_decide(by=SYSTEM, proposal=decided, version=decided.version,
                                 status="rejected", decided_on=DAY)


def test_the_talent_list_costs_the_same_queries_for_one_or_four_talents(cast, client):
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast["head"])
    _talent(cast)
    client.get("/talent/talents/")  # warm the per-process caches (code tables, roles)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/talent/talents/").status_code == 200
    for i in range(3):
        _talent(cast, name=f"人才{i}", category="rural")
    with CaptureQueriesContext(connection) as four:
        assert client.get("/talent/talents/").status_code == 200
    assert len(four) == len(one)


def test_the_pages_show_the_records_they_list(cast, client):
    talent = _talent(cast)
    services.contact_record(by=cast["head"], talent=talent, leader=cast.people["head"],
                            kind="visit", on=DAY,
                            matters=[{"kind": "schooling", "text": "子女入学"}])
    services.candidate_add(by=cast["head"], person=cast.people["managed"], source="exam",
                           on=DAY)
    services.proposal_record(by=cast["head"], person=cast.people["cadre"], post="副主任",
                             reason="业绩突出", on=DAY)
    services.rotation_plan(by=cast["head"], person=cast.people["cadre"],
                           to_unit=cast.sec_cadre, on=DAY)
    client.force_login(cast["head"])
    pages = {
        f"/talent/talents/{talent.pk}/": ["子女入学", "13907430001", "contact-form"],
        "/talent/matters/": ["子女入学", "符建华"],
        "/talent/team/": ["田志强", "副主任", "干部室", "team-chart-data"],
    }
    for url, texts in pages.items():
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code == 200, url
        assert all(t in body for t in texts), url
    client.force_login(cast["cadre"])  # a cadre reads the talent but not the phone
    body = client.get(f"/talent/talents/{talent.pk}/").content.decode()
    assert "符建华" in body and "13907430001" not in body and "contact-form" not in body


def test_the_workbench_shows_matters_open_after_the_reminder_period(cast, client_for):
    from django.utils import timezone

    talent = _talent(cast)
    services.contact_record(by=SYSTEM, talent=talent, leader=cast.people["head"],
                            kind="visit", on=timezone.localdate() - dt.timedelta(days=31),
                            matters=[{"kind": "housing", "text": "人才公寓"}])
    todos = {t.key: t for t in client_for(cast["head"]).get("/").context["summary"]["todos"]}
    assert todos["talent.matters"].count == 1
    cadre = {t.key for t in client_for(cast["cadre"]).get("/").context["summary"]["todos"]}
    assert "talent.matters" not in cadre


def test_the_workbench_count_is_the_open_matters_lists_count_of_late_matters(cast):
    """``open_matters_count`` (the workbench's) counts what the open matters list holds
    from before the reminder period: not a solved one, not a recent one, not another
    department's."""
    from django.utils import timezone

    today = timezone.localdate()
    late, recent = today - dt.timedelta(days=40), today - dt.timedelta(days=3)
    talent = _talent(cast)
    services.contact_record(by=SYSTEM, talent=talent, leader=cast.people["head"],
                            kind="visit", on=late, matters=[
                                {"kind": "housing", "text": "人才公寓"},
                                {"kind": "other", "text": "子女入学"}])
    services.contact_record(by=SYSTEM, talent=talent, leader=cast.people["head"],
                            kind="visit", on=recent, matters=[{"kind": "other", "text": "新事项"}])
    theirs = services.talent_create(
        by=SYSTEM, department=cast.other_dept, name="外县人才", category="professional",
        employer="外县医院", added_on=DAY, leader=cast.people["outsider"])
    services.contact_record(by=SYSTEM, talent=theirs, leader=cast.people["outsider"],
                            kind="visit", on=late, matters=[{"kind": "other", "text": "外县"}])
    solved = selectors.open_matters(user=cast["head"]).get(text="子女入学")
    services.matter_solve(by=cast["head"], matter=solved, version=solved.version,
                          solved_on=today, solution="已协调")
    before = today - dt.timedelta(days=30)
    listed = selectors.open_matters(user=cast["head"]).filter(raised_on__lt=before)
    assert [m.text for m in listed] == ["人才公寓"]
    assert selectors.open_matters_count(user=cast["head"], raised_before=before) == 1
    assert selectors.open_matters_count(user=cast["outsider"], raised_before=before) == 1
