"""The 组织生活会 flow (issue 18, point 3): preparation with talks linked from the talks app,
opinions and checking material; self-found problems; criticisms seen only by the two
parties and leaders over both; 民主评议 grades; problems turned into measures."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zugong.partylife import selectors, services
from zugong.partylife.models import Appraisal, Criticism, Material, PrepTalk
from zugong.talks import services as talk_services

DAY = dt.date(2026, 11, 25)
MEMBERS = ("head", "chief", "cadre", "cadre2")


def _life(cast):
    return services.meeting_record(by=cast["head"], unit=cast.dept, kind="org_life",
                                   held_on=DAY, title="2026年度组织生活会",
                                   chair=cast.people["head"],
                                   present=[cast.people[n] for n in MEMBERS])


def test_criticisms_are_seen_by_the_two_parties_and_leaders_over_both_only(cast):
    m = _life(cast)
    services.criticism_record(by=cast["cadre"], meeting=m, receiver=cast.people["cadre2"],
                              content="建议多下基层")
    seen = {name: selectors.criticism_visible(cast[name]).filter(meeting=m).count()
            for name in ("cadre", "cadre2", "head", "chief", "deputy", "supervisor",
                         "assessor", "outsider")}
    # The giver and the receiver; the head leads both. The chief (组织室) and the deputy
    # (组织室 and the county unit) lead the giver only; the others lead neither.
    assert seen == {"cadre": 1, "cadre2": 1, "head": 1, "chief": 0, "deputy": 0,
                    "supervisor": 0, "assessor": 0, "outsider": 0}
    with pytest.raises(PermissionDenied):
        selectors.criticism_visible(cast["auditor"])
    with pytest.raises(ValidationError):  # a criticism names another member
        services.criticism_record(by=cast["cadre"], meeting=m, receiver=cast.people["cadre"],
                                  content="自我批评")
    with pytest.raises(ValidationError):  # the outsider is no member of the branch
        services.criticism_record(by=cast["cadre"], meeting=m,
                                  receiver=cast.people["outsider"], content="x")


def test_the_meeting_page_shows_a_criticism_to_the_parties_but_not_to_the_chief(cast, client):
    m = _life(cast)
    services.criticism_record(by=cast["cadre"], meeting=m, receiver=cast.people["cadre2"],
                              content="建议加强理论学习")
    for name, shown in (("cadre2", True), ("head", True), ("chief", False)):
        client.force_login(cast[name])
        page = client.get(f"/partylife/meetings/{m.pk}/").content.decode()
        assert ("建议加强理论学习" in page) is shown, name


def test_preparation_links_talks_from_the_talks_app_and_collects_material(cast):
    m = _life(cast)
    talk = talk_services.talk_record(by=cast["head"], with_people=[cast.people["cadre"]],
                                     held_on=DAY - dt.timedelta(days=20), kind="heart",
                                     summary="谈心")
    old = talk_services.talk_record(by=cast["head"], with_people=[cast.people["cadre"]],
                                    held_on=DAY - dt.timedelta(days=200), kind="heart",
                                    summary="谈心")
    assert [t["id"] for t in selectors.prep_talks(m)] == [talk.pk]  # 90 days before only
    services.preptalk_link(by=cast["head"], meeting=m, talk_id=talk.pk)
    with pytest.raises(ValidationError):
        services.preptalk_link(by=cast["head"], meeting=m, talk_id=old.pk)
    assert list(PrepTalk.objects.values_list("talk_id", flat=True)) == [talk.pk]
    services.opinion_record(by=cast["head"], meeting=m, source="服务对象",
                            content="办事效率有待提高", received_on=DAY - dt.timedelta(days=9))
    material = services.material_submit(by=cast["cadre"], meeting=m, text="对照检查")
    with pytest.raises(PermissionDenied):  # nobody checks their own
        services.material_check(by=cast["cadre"], material=material)
    services.material_check(by=cast["head"], material=material, on=DAY)
    with pytest.raises(ValidationError):  # checked material is final
        services.material_submit(by=cast["cadre"], meeting=m, text="改写")
    flow = selectors.flow_for(user=cast["head"], meeting=m)
    assert [t["id"] for t in flow["talks"]] == [talk.pk] and flow["submitted"] == 1
    assert Material.objects.get().checked_on == DAY
    # The cadre2 sees that material was submitted, not what it says.
    assert selectors.flow_for(user=cast["cadre2"], meeting=m)["materials"][0][1] is False


def test_appraisal_grades_one_per_member_and_only_recorders_grade(cast):
    m = _life(cast)
    services.appraisal_record(by=cast["head"], meeting=m, person=cast.people["cadre"],
                              grade="excellent")
    services.appraisal_record(by=cast["head"], meeting=m, person=cast.people["cadre"],
                              grade="qualified")  # a correction, not a second grade
    assert list(Appraisal.objects.values_list("grade", flat=True)) == ["qualified"]
    with pytest.raises(ValidationError):
        services.appraisal_record(by=cast["head"], meeting=m, person=cast.people["cadre"],
                                  grade="good")
    with pytest.raises(PermissionDenied):
        services.appraisal_record(by=cast["cadre"], meeting=m, person=cast.people["cadre2"],
                                  grade="qualified")
    assert [a.grade for a in selectors.flow_for(user=cast["cadre2"],
                                                meeting=m)["appraisals"]] == []


def test_a_member_records_a_self_found_problem_on_the_page_and_sets_its_measure(cast,
                                                                              client):
    m = _life(cast)
    client.force_login(cast["cadre"])
    response = client.post(f"/partylife/meetings/{m.pk}/flow/problem/",
                           {"description": "理论学习不够系统"})
    assert response.status_code == 302
    problem = selectors.problem_list(user=cast["cadre"]).get(meeting=m)
    assert problem.self_found and problem.source == "meeting"
    bad = client.post(f"/partylife/meetings/{m.pk}/flow/criticism/",
                      {"receiver": cast.people["cadre2"].pk, "content": ""})
    assert bad.status_code == 400 and "此项为必填项" in bad.content.decode()
    response = client.post(f"/partylife/problems/{problem.pk}/",
                           {"owner": cast.people["cadre"].pk, "action": "制定学习计划",
                            "deadline": "2027-01-31"})
    assert response.status_code == 302
    assert problem.measures.get().owner_id == cast.people["cadre"].pk
    assert Criticism.objects.count() == 0
