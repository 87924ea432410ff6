"""The early-warning level (issue 17, point 6): the rule is data, the score is counted by
hand, every signal links to its record."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import make_person
from zugong.core.audit import SYSTEM
from zugong.people.access import scope_q
from zugong.supervision import selectors, services
from zugong.supervision.access import Cap
from zugong.supervision.models import WarningLevel, WarningRule, report_due
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


# ---------------------------------------------------------------- paging and memo (issue 23)

def _table(page: str) -> str:
    return page[page.index('id="warnings-table"'):page.index("</table>")]


def _rows(page: str) -> int:
    return page.count("<tr><td data-label=")


def _file_yearly_report(cast) -> None:
    """The cast's one leading cadre files this year's report: no warning for it."""
    services.report_file(by=SYSTEM, person=cast.people["managed"], kind="annual",
                         year=timezone.localdate().year, on=timezone.localdate(),
                         family_jobs="无")


def _warn_many(cast, count: int, doubled: int) -> list:
    """``count`` cadres of the county unit with one measure each (score 2), the first
    ``doubled`` with two (score 4)."""
    today = timezone.localdate()
    _file_yearly_report(cast)
    people = [make_person(cast.county_unit, f"预警干部{i:02d}") for i in range(count)]
    for i, person in enumerate(people):
        for days in (1, 2) if i < doubled else (1,):
            services.measure_record(by=SYSTEM, person=person, kind="reminder",
                                    on=today - dt.timedelta(days=days), source="daily",
                                    facts="提醒")
    return people


def test_the_warning_page_shows_fifty_cadres_a_page_highest_score_first(cast, rule, client):
    people = _warn_many(cast, 55, doubled=5)
    client.force_login(cast["supervisor"])
    first = client.get(reverse("supervision:warnings"), {"unit": "x"}).content.decode()
    assert _rows(first) == 50
    assert "共 55 名干部预警" in first and "第 1 / 2 页" in first
    # Highest score first: the five with two measures lead, in the order of the list.
    scores = [int(s) for s in re.findall(r'<td data-label="[^"]+">(\d+)</td>', first)]
    assert scores == sorted(scores, reverse=True) and scores[:5] == [4] * 5 and scores[5] == 2
    assert all(p.name in first for p in people[:5])
    # The page links keep the other parameters of the address.
    assert 'href="?unit=x&amp;page=2"' in first and 'id="previous-page"' not in first
    second = client.get(reverse("supervision:warnings"), {"unit": "x", "page": "2"})
    second = second.content.decode()
    assert _rows(second) == 5 and "第 2 / 2 页" in second
    assert 'href="?unit=x&amp;page=1"' in second and 'id="next-page"' not in second
    shown = set(re.findall(r"预警干部\d\d", first)) | set(re.findall(r"预警干部\d\d", second))
    assert shown == {p.name for p in people}
    # Not a number: the first page; past the end: the last; never a 500.
    for asked, rows, number in (("abc", 50, 1), ("999", 5, 2), ("-3", 50, 1), ("0", 50, 1),
                                ("9" * 5000, 50, 1)):
        response = client.get(reverse("supervision:warnings"), {"page": asked})
        assert response.status_code == 200
        page = response.content.decode()
        assert _rows(page) == rows and f"第 {number} / 2 页" in page


def test_the_warning_list_is_kept_until_a_supervision_service_changes_it(cast, rule, client):
    today = timezone.localdate()
    cadre, cadre2 = cast.people["cadre"], cast.people["cadre2"]
    _file_yearly_report(cast)
    services.measure_record(by=cast["supervisor"], person=cadre, kind="reminder",
                            on=today - dt.timedelta(days=3), source="daily", facts="提醒")
    client.force_login(cast["supervisor"])
    url = reverse("supervision:warnings")
    with CaptureQueriesContext(connection) as computed:
        page = client.get(url).content.decode()
    assert "李小红" in page and "王磊" not in page
    assert "预警每 5 分钟更新；本系统内的监督记录变化时立即更新" in page
    with CaptureQueriesContext(connection) as kept:
        again = client.get(url).content.decode()
    assert _table(again) == _table(page)
    assert len(kept) < len(computed)
    # Nothing the computation reads is queried again (measures, self-checks, reports).
    assert not [q for q in kept.captured_queries
                if "supervision_measure" in q["sql"] or "supervision_selfcheck" in q["sql"]]
    # A write through supervision's service shows at once, not 5 minutes later.
    services.observation_record(by=cast["supervisor"], person=cadre2, kind="social",
                                on=today - dt.timedelta(days=1), note="交往较密",
                                concern=True)
    page = client.get(url).content.decode()
    assert "王磊" in page and "共 2 名干部预警" in page
    measure = services.measure_record(by=cast["supervisor"], person=cadre2,
                                      kind="reminder", on=today, source="daily", facts="提醒")
    assert f'href="/supervision/measures/{measure.pk}/"' in client.get(url).content.decode()
    item = services.selfcheck_record(by=cast["cadre"], risk="饭局", measure="婉拒",
                                     on=today - dt.timedelta(days=9),
                                     due_on=today - dt.timedelta(days=1))
    assert f"/supervision/integrity/self-checks/{item.pk}/" in client.get(url).content.decode()
    services.selfcheck_close(by=cast["cadre"], item=item, version=item.version,
                             closed_on=today, closing_note="已婉拒")
    assert f"/supervision/integrity/self-checks/{item.pk}/" not in client.get(
        url).content.decode()


def test_a_yearly_report_filed_clears_its_warning_at_once(cast, rule, client):
    today = timezone.localdate()
    if (today - report_due("annual", today.year)).days <= 0:
        pytest.skip("before 31 January no yearly report is late")
    client.force_login(cast["supervisor"])
    url = reverse("supervision:warnings")
    assert "田志强" in client.get(url).content.decode()  # the managed cadre owes one
    services.report_file(by=SYSTEM, person=cast.people["managed"], kind="annual",
                         year=today.year, on=today, family_jobs="无")
    assert "田志强" not in client.get(url).content.decode()


def test_the_kept_list_holds_no_person_and_no_decrypted_text(cast, rule):
    today = timezone.localdate()
    services.measure_record(by=cast["supervisor"], person=cast.people["cadre"],
                            kind="reminder", on=today, source="daily", facts="秘密的事实")
    ranked = selectors._ranked_warnings(cast["supervisor"], today)
    assert ranked and ranked == selectors._ranked_warnings(cast["supervisor"], today)

    def plain(value):
        if isinstance(value, (list, tuple)):
            return all(plain(v) for v in value)
        return type(value) in (int, str)

    assert plain(ranked)
    assert "秘密的事实" not in repr(ranked) and "李小红" not in repr(ranked)


def test_the_kept_list_of_one_user_is_never_shown_to_another(cast, rule, client):
    today = timezone.localdate()
    services.measure_record(by=cast["supervisor"], person=cast.people["cadre"],
                            kind="reminder", on=today, source="daily", facts="提醒")
    client.force_login(cast["supervisor"])
    assert "李小红" in client.get(reverse("supervision:warnings")).content.decode()
    client.force_login(cast["outsider"])  # the head of another county's department
    page = client.get(reverse("supervision:warnings")).content.decode()
    assert "李小红" not in page and "您职责范围内的干部暂无预警信号。" in page


def test_computing_the_warnings_sends_the_same_queries_for_more_people_in_scope(cast, rule):
    # A county has 800 people: their ids must not be spelt out in the queries (as a list
    # they were 800 parameters in each of the other apps' queries, which Django and
    # psycopg handle one by one).
    from django.core.cache import cache

    today = timezone.localdate()
    services.measure_record(by=cast["supervisor"], person=cast.people["cadre"],
                            kind="reminder", on=today - dt.timedelta(days=3), source="daily",
                            facts="提醒")

    def computed():
        cache.clear()  # the list is kept: compute it again
        with CaptureQueriesContext(connection) as ctx:
            rows = selectors.warnings(user=cast["supervisor"], today=today)
        return [len(q["sql"]) for q in ctx.captured_queries], rows

    few, rows = computed()
    assert "李小红" in [w.person.name for w in rows]
    for i in range(30):  # organization cadres without any signal
        make_person(cast.county_unit, f"无预警干部{i:02d}")
    more, again = computed()
    assert [w.person.pk for w in again] == [w.person.pk for w in rows]
    assert more == few


def test_readers_of_one_scope_share_one_computation_of_the_list(cast, rule, client):
    # The department's head and its supervision officer see the same people: the second
    # reader finds the list the first one's view computed (issue 23), and still sees it.
    today = timezone.localdate()
    services.measure_record(by=cast["supervisor"], person=cast.people["cadre"],
                            kind="reminder", on=today - dt.timedelta(days=3), source="daily",
                            facts="提醒")
    assert str(scope_q(cast["head"], Cap.SUPERVISION_VIEW, kind="person")) == str(
        scope_q(cast["supervisor"], Cap.SUPERVISION_VIEW, kind="person"))
    client.force_login(cast["supervisor"])
    url = reverse("supervision:warnings")
    first = client.get(url).content.decode()
    client.force_login(cast["head"])
    with CaptureQueriesContext(connection) as ctx:
        second = client.get(url).content.decode()
    assert not [q for q in ctx.captured_queries if "supervision_measure" in q["sql"]]
    assert "李小红" in second and _table(second) == _table(first)


def test_the_unfiled_are_found_by_each_persons_report_not_by_the_years_reports(cast):
    # NOT EXISTS, which PostgreSQL answers from the (person, year) index, not NOT IN, which
    # made it hash every report of the year in the province (issue 23).
    from zugong.people.models import Person

    today = timezone.localdate()
    managed, cadre = cast.people["managed"], cast.people["cadre"]
    people = Person.objects.filter(pk__in=[managed.pk, cadre.pk])
    before = set(selectors.unfiled(people, year=today.year).values_list("pk", flat=True))
    services.report_file(by=SYSTEM, person=managed, kind="annual", year=today.year, on=today,
                         family_jobs="无")
    after = set(selectors.unfiled(people, year=today.year).values_list("pk", flat=True))
    assert before == {managed.pk, cadre.pk} and after == {cadre.pk}
    sql = str(selectors.unfiled(people, year=today.year).query)
    assert "EXISTS(" in sql and " IN (SELECT" not in sql


def test_the_warned_people_are_loaded_without_their_encrypted_id_and_phone(cast, rule):
    # The list shows names and units: decrypting each row's ID and phone was a tenth of a
    # cold warnings page (issue 23).
    today = timezone.localdate()
    services.measure_record(by=cast["supervisor"], person=cast.people["cadre"],
                            kind="reminder", on=today - dt.timedelta(days=3), source="daily",
                            facts="提醒")
    rows = selectors.warnings(user=cast["supervisor"], today=today)
    assert rows
    for w in rows:
        assert w.person.get_deferred_fields() >= {"id_number", "phone"}
        assert "name" in w.person.__dict__ and "unit" in w.person._state.fields_cache
