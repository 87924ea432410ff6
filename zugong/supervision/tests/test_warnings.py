"""The early-warning level (issue 17, point 6): the rule is data, the score is counted by
hand, every signal links to its record."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from zugong.core.audit import SYSTEM
from zugong.supervision import selectors, services
from zugong.supervision.models import WarningLevel, WarningRule
from zugong.supervision.rules import warning_level, warning_score

LEVELS = [(2, "黄色预警"), (4, "橙色预警"), (6, "红色预警")]


def test_the_score_and_level_by_hand():
    weights = {"measure": 2, "selfcheck_overdue": 1}
    # Two measures at 2 and one overdue self-check at 1: 2×2 + 1×1 = 5, past 4 (橙).
    assert warning_score({"measure": 2, "selfcheck_overdue": 1}, weights) == 5
    assert warning_level(5, LEVELS) == "橙色预警"
    assert warning_level(1, LEVELS) == ""
    assert warning_score({"tasks": 3}, weights) == 0  # no rule, no weight


@pytest.fixture
def rule(db):
    for signal, weight in (("measure", 2), ("report_overdue", 2), ("selfcheck_overdue", 1),
                           ("observation", 1)):
        WarningRule.objects.update_or_create(signal=signal, defaults={"weight": weight,
                                                                      "months": 12})
    for score, name in LEVELS:
        WarningLevel.objects.update_or_create(min_score=score, defaults={"name": name})


def test_the_warning_list_counts_signals_in_scope_and_links_each(cast, rule, client):
    today = timezone.localdate()
    cadre, cadre2 = cast.people["cadre"], cast.people["cadre2"]
    for days in (10, 20):
        services.measure_record(by=cast["supervisor"], person=cadre, kind="reminder",
                                on=today - dt.timedelta(days=days), source="daily",
                                facts="提醒")
    item = services.selfcheck_record(by=cast["cadre"], risk="饭局", measure="婉拒",
                                     on=today - dt.timedelta(days=40),
                                     due_on=today - dt.timedelta(days=10))
    services.observation_record(by=cast["supervisor"], person=cadre2, kind="social",
                                on=today - dt.timedelta(days=5), note="交往较密",
                                concern=True)
    services.report_file(by=SYSTEM, person=cast.people["managed"], kind="annual",
                         year=today.year, on=today, family_jobs="无")
    rows = selectors.warnings(user=cast["supervisor"], today=today)
    # 李小红: 2 measures × 2 + 1 overdue self-check × 1 = 5 (橙色预警); 王磊: 1 × 1 = 1.
    assert [(w.person.name, w.score, w.level) for w in rows] == [("李小红", 5, "橙色预警"),
                                                                ("王磊", 1, "")]
    assert f"/supervision/integrity/self-checks/{item.pk}/" in [u for _l, _t, u in
                                                                rows[0].signals]
    WarningRule.objects.filter(signal="measure").update(weight=3)  # the rule is data
    assert selectors.warnings(user=cast["supervisor"], today=today)[0].score == 7
    assert selectors.warnings(user=cast["outsider"], today=today) == []
    client.force_login(cast["head"])
    page = client.get(reverse("supervision:warnings")).content.decode()
    assert "红色预警" in page and "李小红" in page


def test_signals_other_apps_offer_reach_the_warning_page_with_their_links(cast, rule, client):
    # The hooks are offered by the tasks and assessment apps (never imported here).
    from django.apps import apps

    WarningRule.objects.update_or_create(signal="tasks", defaults={"weight": 1, "months": 12})
    WarningRule.objects.update_or_create(signal="notes", defaults={"weight": 2, "months": 12})
    today = timezone.localdate()
    cadre = cast.people["cadre"]
    task = apps.get_model("tasks", "Task").objects.create(
        department=cast.dept, year=today.year, title="年度调研报告", section=cast.sec_org,
        lead=cadre, start=today - dt.timedelta(days=60), deadline=today - dt.timedelta(days=3))
    apps.get_model("assessment", "EverydayNote").objects.create(
        person=cadre, on=today - dt.timedelta(days=2), positive=False, text="材料迟报")
    rows = {w.person.name: w for w in selectors.warnings(user=cast["supervisor"], today=today)}
    # 李小红: one overdue task × 1 + one negative note × 2 = 3 (黄色预警).
    assert (rows["李小红"].score, rows["李小红"].level) == (3, "黄色预警")
    client.force_login(cast["supervisor"])
    page = client.get(reverse("supervision:warnings")).content.decode()
    assert f'href="/tasks/{task.pk}/"' in page and "年度调研报告" in page
    assert f'href="/assessment/notes/?person={cadre.pk}"' in page
    assert "材料迟报" not in page
