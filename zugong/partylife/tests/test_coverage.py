"""Meeting coverage with hand-computed figures (issue 18, point 2): per branch and group,
per member, the frequency rules as data, and the reminder before a period ends."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from zugong.core.audit import SYSTEM
from zugong.core.models import Notice
from zugong.partylife import coverage, selectors, services
from zugong.partylife.coverage import MET, MISSED, OPEN, Rule
from zugong.partylife.models import FrequencyRule

TODAY = dt.date(2026, 5, 10)
COMMITTEE = Rule("committee", "month", 1)
ASSEMBLY = Rule("assembly", "quarter", 1)
BRANCH, GROUP = 1, 2


def _states(row):
    return [c.state for c in row.cells]


def test_a_branch_is_judged_period_by_period_up_to_today():
    meetings = [(BRANCH, "committee", dt.date(2026, 1, 5)),
                (BRANCH, "committee", dt.date(2026, 2, 5)),
                (BRANCH, "committee", dt.date(2026, 2, 20)),
                (BRANCH, "committee", dt.date(2026, 4, 5)),
                (BRANCH, "assembly", dt.date(2026, 2, 1)),
                (GROUP, "committee", dt.date(2026, 3, 3))]  # another unit: not the branch's
    rows = coverage.branch_coverage([COMMITTEE, ASSEMBLY],
                                    {"committee": [BRANCH], "assembly": [BRANCH]}, meetings,
                                    year=2026, today=TODAY)
    committee, assembly = rows
    # January 1, February 2, March 0 (missed), April 1, May 0 so far (open until 31 May).
    assert [c.done for c in committee.cells] == [1, 2, 0, 1, 0]
    assert _states(committee) == [MET, MET, MISSED, MET, OPEN]
    assert (committee.met, committee.missed, committee.judged, committee.rate) == (3, 1, 4, 75.0)
    # Q1 held on 1 February; Q2 (April–June) not yet: open, not missed.
    assert _states(assembly) == [MET, OPEN] and assembly.rate == 100.0


def test_a_member_counts_meetings_attended_or_made_up():
    attended = [(7, "committee", dt.date(2026, 1, 5)),   # present
                (7, "committee", dt.date(2026, 2, 20)),  # absent on 5 Feb, made up the 20th's
                (8, "committee", dt.date(2026, 1, 5))]
    rows = coverage.member_coverage([COMMITTEE], [7, 8], attended, year=2026, today=TODAY)
    seven, eight = rows
    # Member 7: January and February met; March and April missed; May open: 2 of 4 = 50 %.
    assert _states(seven) == [MET, MET, MISSED, MISSED, OPEN] and seven.rate == 50.0
    # Member 8: January only: 1 of 4 = 25 %.
    assert (eight.met, eight.missed, eight.rate) == (1, 3, 25.0)


def test_a_rule_asking_twice_a_period_needs_two_meetings():
    twice = Rule("theme_day", "quarter", 2)
    rows = coverage.branch_coverage(
        [twice], {"theme_day": [BRANCH]},
        [(BRANCH, "theme_day", dt.date(2026, 1, 9)), (BRANCH, "theme_day", dt.date(2026, 4, 9)),
         (BRANCH, "theme_day", dt.date(2026, 5, 9))], year=2026, today=TODAY)
    # Q1 one of two: missed; Q2 two of two: met before the quarter ends.
    assert _states(rows[0]) == [MISSED, MET]


def test_due_soon_names_the_current_period_a_week_before_it_ends():
    assert coverage.due_soon(COMMITTEE, 0, dt.date(2026, 5, 24), days=7) is None  # 7 days left
    assert coverage.due_soon(COMMITTEE, 0, dt.date(2026, 5, 25), days=7).key == "2026-05"
    assert coverage.due_soon(COMMITTEE, 1, dt.date(2026, 5, 25), days=7) is None  # held


@pytest.mark.django_db
def test_the_department_uses_the_regulations_defaults_until_it_sets_its_own(cast):
    assert {(r.kind, r.frequency) for r in selectors.rules_for(cast.dept)} >= {
        ("assembly", "quarter"), ("committee", "month"), ("group", "month"),
        ("lecture", "quarter"), ("theme_day", "month")}
    assert not FrequencyRule.objects.exists()
    with pytest.raises(PermissionDenied):
        services.rule_set(by=cast["chief"], department=cast.dept, kind="committee",
                          frequency="quarter", times=1)
    services.rule_set(by=cast["head"], department=cast.dept, kind="committee",
                      frequency="quarter", times=2)
    rules = {r.kind: (r.frequency, r.times) for r in selectors.rules_for(cast.dept)}
    assert rules["committee"] == ("quarter", 2) and rules["assembly"] == ("quarter", 1)
    assert FrequencyRule.objects.filter(department=cast.dept).count() == 6


@pytest.mark.django_db
def test_coverage_of_the_cast_branch_and_the_reminder_before_the_month_ends(cast):
    present = [cast.people[n] for n in ("head", "chief", "cadre")]
    services.meeting_record(by=SYSTEM, unit=cast.dept, kind="committee",
                            held_on=dt.date(2026, 4, 5), title="支委会",
                            chair=cast.people["head"], present=present,
                            absent=[(cast.people["cadre2"], "出差")])
    services.meeting_record(by=SYSTEM, unit=cast.sec_org, kind="group",
                            held_on=dt.date(2026, 5, 6), title="党小组会",
                            chair=cast.people["chief"],
                            present=[cast.people["chief"], cast.people["cadre"]])
    table = selectors.coverage_for(department=cast.dept, year=2026, today=TODAY)
    branch = {(u.name, row.rule.kind): row for u, _label, row in table["branch"]}
    # 支委会 monthly: only April held: January–March missed, April met, May open.
    assert _states(branch[("泸溪县委组织部", "committee")]) == [MISSED] * 3 + [MET, OPEN]
    # Groups: the three sections with members; 组织室 met in May, the others open.
    assert branch[("组织室", "group")].cells[-1].state == MET
    assert branch[("干部室", "group")].cells[-1].state == OPEN
    members = {p.name: {r.rule.kind: r for r in rows} for p, rows in table["members"]}
    # 王磊 (cadre2) was absent in April: no committee period met.
    assert members["王磊"]["committee"].met == 0 and members["李小红"]["committee"].met == 1
    # On 25 May the branch has held no 支委会 this month: its recorders are told, once.
    assert services.coverage_remind(today=dt.date(2026, 5, 25)) > 0
    titles = list(Notice.objects.filter(kind="partylife.coverage.due",
                                        recipient__username="head")
                  .values_list("title", flat=True))
    assert any("支委会" in t for t in titles)
    services.coverage_remind(today=dt.date(2026, 5, 25))
    assert Notice.objects.filter(kind="partylife.coverage.due",
                                 recipient__username="head").count() == len(titles)
