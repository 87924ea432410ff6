"""Innovation projects: declaration, classification with the guiding section, funding,
results and awards, follow-ups, rules as data, coverage from the database, reminders, the
API and bad input (issue 20, point 5)."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from zugong.core.audit import SYSTEM
from zugong.core.metrics import get as metric
from zugong.core.models import Notice
from zugong.core.versioning import ConflictError
from zugong.projects import selectors, services
from zugong.projects.models import FollowUp

DAY = dt.date(2026, 3, 2)


def _declared(cast, by="cadre", on=DAY):
    return services.project_declare(by=cast[by], unit=cast.sec_org, title="党员积分制管理",
                                    summary="探索党员积分管理", on=on)


def _classified(cast, on=DAY + dt.timedelta(days=3)):
    p = _declared(cast, on=min(on, DAY))
    return services.project_classify(by=cast["deputy"], project=p, version=p.version,
                                     category="party", guiding_section=cast.sec_org, on=on)


def test_a_section_declares_and_the_department_classifies_and_tells_the_section(cast):
    p = _declared(cast)
    assert (p.department, p.status, p.declared_by) == (cast.dept, "declared",
                                                       cast.people["cadre"])
    with pytest.raises(ValidationError) as exc:  # another county's unit
        services.project_declare(by=cast["cadre"], unit=cast.other_section, title="x",
                                 summary="y", on=DAY)
    assert exc.value.message_dict == {"unit": ["请选择本部门的组室或下属单位。"]}
    with pytest.raises(PermissionDenied):
        services.project_classify(by=cast["chief"], project=p, version=p.version,
                                  category="party", guiding_section=cast.sec_org, on=DAY)
    with pytest.raises(ValidationError) as exc:
        services.project_classify(by=cast["head"], project=p, version=p.version,
                                  category="nope", guiding_section=cast.county_unit,
                                  on=DAY - dt.timedelta(days=1))
    assert set(exc.value.message_dict) == {"category", "guiding_section", "on"}
    done = services.project_classify(by=cast["head"], project=p, version=p.version,
                                     category="party", guiding_section=cast.sec_org,
                                     on=DAY + dt.timedelta(days=3))
    assert (done.status, done.guiding_section) == ("under_way", cast.sec_org)
    told = set(Notice.objects.filter(kind="projects.project.classified").values_list(
        "recipient__username", flat=True))
    assert told == {"chief", "cadre"}  # the people of 组织室 with an account
    with pytest.raises(ConflictError):
        services.project_fund(by=cast["head"], project=done, version=1, funding="5000")


def test_only_the_guiding_section_and_the_leaders_follow_up(cast):
    p = _classified(cast)
    made = services.followup_record(by=cast["cadre"], project=p, kind="onsite",
                                    on=DAY + dt.timedelta(days=5), note="实地查看台账")
    assert made.person == cast.people["cadre"]
    with pytest.raises(PermissionDenied):
        services.followup_record(by=cast["cadre2"], project=p, kind="monthly", on=DAY,
                                 note="x")
    with pytest.raises(ValidationError) as exc:
        services.followup_record(by=cast["chief"], project=p, kind="monthly", on=DAY,
                                 note=" ")
    assert set(exc.value.message_dict) == {"on", "note"}  # before the classification


def test_funding_results_and_award(cast):
    p = _classified(cast)
    funded = services.project_fund(by=cast["head"], project=p, version=p.version,
                                   funding="12000.5")
    assert funded.funding == Decimal("12000.50")
    with pytest.raises(ValidationError):
        services.project_fund(by=cast["head"], project=funded, version=funded.version,
                              funding="-1")
    with pytest.raises(ValidationError) as exc:
        services.project_finish(by=cast["head"], project=funded, version=funded.version,
                                finished_on=DAY + dt.timedelta(days=20), result="",
                                award="first")
    assert set(exc.value.message_dict) == {"result", "awarded_on"}
    done = services.project_finish(by=cast["head"], project=funded, version=funded.version,
                                   finished_on=DAY + dt.timedelta(days=20),
                                   result="形成制度文件3项", award="first",
                                   awarded_on=DAY + dt.timedelta(days=25))
    assert (done.status, done.award) == ("finished", "first")
    assert metric("projects.awarded").totals(
        people=[cast.people["cadre"].pk], start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31)) == {(cast.people["cadre"].pk, None): 1}


def test_coverage_reads_the_rules_and_counts_follow_ups(cast):
    p = _classified(cast, on=dt.date(2026, 1, 10))
    for on, kind in ((dt.date(2026, 1, 20), "monthly"), (dt.date(2026, 3, 25), "onsite")):
        FollowUp.objects.create(person=cast.people["chief"], project=p, kind=kind, on=on,
                                note="x")
    as_of = dt.date(2026, 4, 15)
    data = selectors.coverage_for(cast.dept, year=2026, as_of=as_of)
    (project, cov), = data["rows"]
    # January and March of three judged months; Q1 guided on site; April and Q2 owed.
    assert (cov.monthly.due, cov.monthly.met, cov.onsite.due, cov.onsite.met) == (3, 2, 1, 1)
    assert (cov.monthly.owed_now, cov.onsite.owed_now) == ([p.pk], [p.pk])
    services.rule_set(by=cast["head"], department=cast.dept, kind="monthly", minimum=0)
    data = selectors.coverage_for(cast.dept, year=2026, as_of=as_of)
    assert data["totals"].monthly.met == 3
    with pytest.raises(PermissionDenied):
        services.rule_set(by=cast["deputy"], department=cast.dept, kind="monthly", minimum=2)


def test_reminders_tell_the_guiding_section_from_the_twentieth(cast):
    today = timezone.localdate()
    _classified(cast, on=today.replace(month=1, day=1))
    assert services.remind_owed(today=today.replace(day=19)) == 0
    late = today.replace(day=21)
    assert services.remind_owed(today=late) == 2  # the chief and the cadre of 组织室
    assert services.remind_owed(today=late) == 0


def test_pages_and_api(cast, client):
    p = _classified(cast)
    client.force_login(cast["cadre"])
    bad = client.post(reverse("projects:declare"), {"unit": cast.sec_org.pk, "title": "",
                                                    "summary": "", "on": "2026-03-02"})
    assert bad.status_code == 400 and "此项为必填项" in bad.content.decode()
    ok = client.post(reverse("projects:followup", args=[p.pk]), {
        "kind": "monthly", "on": "2026-03-10", "note": "了解进展"})
    assert ok.status_code == 302 and FollowUp.objects.filter(project=p).count() == 1
    page = client.get("/api/v1/projects").json()
    assert [i["title"] for i in page["items"]] == ["党员积分制管理"]
    assert page["items"][0]["followups"] == 1
    client.force_login(cast["outsider"])
    assert client.get("/api/v1/projects").json()["items"] == []
    assert client.get(f"/api/v1/projects/{p.pk}").status_code == 404
    client.force_login(cast["head"])
    export = client.get(reverse("projects:export"))
    assert export.status_code == 200
    sheet = _sheet(export)
    assert sheet[0][:3] == ("申报日期", "项目", "申报单位")
    assert [r[1:7] for r in sheet[1:]] == [
        ("党员积分制管理", "组织室", "党建创新", "组织室", "已分类，推进中", 1)]
    # The filters go into the export: none finished yet.
    assert len(_sheet(client.get(reverse("projects:export"), {"status": "finished"}))) == 1


def _sheet(response):
    rows = load_workbook(BytesIO(b"".join(response.streaming_content))).active.iter_rows(
        values_only=True)
    return list(rows)


def test_ideas_and_adoptions_export_with_the_filters(cast, client):
    from django.apps import apps

    services.idea_submit(by=cast["cadre"], kind="idea", title="建立干部实绩档案",
                         content="按季度记录", on=DAY)
    services.idea_submit(by=cast["cadre2"], kind="plan", title="干部室的主意", content="建议",
                         on=DAY)
    item = apps.get_model("learning", "Writing").objects.create(
        person=cast.people["cadre"], on=DAY, kind="info", title="组工信息一则",
        status="confirmed")
    info = services.idea_submit(by=cast["cadre"], kind="info", writing_id=item.pk, on=DAY)
    services.idea_review(by=cast["head"], idea=info, version=info.version, score=90,
                         on=DAY, adopted=True, adopted_for="部务会采纳", reward="200")
    services.adoption_record(by=cast["head"], writing_id=item.pk, level="prefectural",
                             outlet="湘西州委组织部", on=DAY)
    client.force_login(cast["head"])
    ideas = _sheet(client.get(reverse("projects:ideas_export"), {"unit": cast.sec_org.pk}))
    assert ideas[0][:3] == ("日期", "方式", "名称")
    # Only 组织室's two; the 好信息's title is the learning record's.
    assert sorted((r[1], r[2], r[3], r[5]) for r in ideas[1:]) == [
        ("好信息", "组工信息一则", "李小红", "已采纳供领导决策"),
        ("好点子", "建立干部实绩档案", "李小红", "已报送")]
    adopted = _sheet(client.get(reverse("projects:ideas_export"), {"status": "adopted"}))
    assert [(r[2], r[6], r[9]) for r in adopted[1:]] == [("组工信息一则", 90, 200)]
    adoptions = _sheet(client.get(reverse("projects:adoptions_export"),
                                  {"level": "prefectural"}))
    assert [r[1:] for r in adoptions[1:]] == [
        ("组工信息一则", "信息", "李小红", "组织室", "州（地）级", "湘西州委组织部")]
    assert len(_sheet(client.get(reverse("projects:adoptions_export"),
                                 {"level": "national"}))) == 1


def test_system_declaration_needs_a_person():
    with pytest.raises(ValidationError):
        services.project_declare(by=SYSTEM, unit=None, title="x", summary="y")


def test_an_idea_is_submitted_rated_adopted_and_rewarded_by_a_leader(cast):
    idea = services.idea_submit(by=cast["cadre"], kind="plan", title="组工信息一则",
                                content="某镇党建工作经验", on=DAY)
    assert idea.department == cast.dept
    with pytest.raises(PermissionDenied):  # a section chief does not score
        services.idea_review(by=cast["chief"], idea=idea, version=idea.version, score=80,
                             on=DAY)
    own = services.idea_submit(by=cast["deputy"], kind="idea", title="x", content="y", on=DAY)
    with pytest.raises(PermissionDenied):  # nobody scores their own
        services.idea_review(by=cast["deputy"], idea=own, version=own.version, score=80,
                             on=DAY)
    with pytest.raises(ValidationError) as exc:
        services.idea_review(by=cast["head"], idea=idea, version=idea.version, score=101,
                             on=DAY, adopted=True, reward="-5")
    assert set(exc.value.message_dict) == {"score", "adopted_for", "reward"}
    done = services.idea_review(by=cast["head"], idea=idea, version=idea.version, score=88,
                                on=DAY + dt.timedelta(days=2), adopted=True,
                                adopted_for="全县组织工作会议", reward="300")
    assert (done.status, done.score, done.reward) == ("adopted", 88, Decimal("300.00"))
    assert metric("projects.ideas_adopted").totals(
        people=[cast.people["cadre"].pk], start=dt.date(2026, 3, 1),
        end=dt.date(2026, 3, 31)) == {(cast.people["cadre"].pk, None): 1}
