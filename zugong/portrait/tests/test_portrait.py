"""The portrait from records: the worked example of docs/portrait.md, provenance links
that open the records, the sensitive flag, the PDF, the compare page, rule edits."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse

from zugong.core.audit import SYSTEM
from zugong.core.models import AuditEntry
from zugong.core.versioning import conflict_message
from zugong.portrait import selectors, services
from zugong.portrait.models import SourceRule
from zugong.service import services as service_services
from zugong.supervision import services as supervision_services

YEAR = 2025
DAY = dt.date(YEAR, 5, 12)


@pytest.fixture
def example(cast):
    """The worked example: in 2025 the managed cadre made 9 village visits, solved 1 of
    the 2 problems raised, and was given 1 reminder talk (提醒)."""
    return worked_example_records(cast.people["managed"])


def worked_example_records(person, village="兴隆村"):
    """The records of the worked example, for ``person``."""
    point = service_services.point_create(by=SYSTEM, person=person, kind="village",
                                          name=village, on=dt.date(YEAR, 1, 2))
    for i in range(9):
        service_services.visit_record(by=SYSTEM, person=person, kind="village", point=point,
                                      on=DAY + dt.timedelta(days=i), heard=f"村情第{i}次")
    for i, title in enumerate(("道路硬化", "饮水工程")):
        problem = service_services.problem_raise(by=SYSTEM, person=person, title=title,
                                                 on=DAY + dt.timedelta(days=i))
        if i == 0:
            service_services.problem_solve(by=SYSTEM, problem=problem,
                                           version=problem.version,
                                           solved_on=DAY + dt.timedelta(days=20),
                                           evidence="已协调交通局硬化")
    supervision_services.measure_record(by=SYSTEM, person=person, kind="reminder", on=DAY,
                                        source="daily", facts="工作日饮酒苗头")
    return person


def _style(portrait):
    return next(d for d in portrait.dimensions if d.key == "style")


def test_the_worked_example_is_computed_from_the_records(example, cast):
    portrait = selectors.portrait(user=cast["head"], person=example, year=YEAR)
    style = _style(portrait)
    assert style.score == D("64.2")
    values = {line.source: (line.value, line.part) for line in style.lines}
    assert values == {"service.visits": (D(9), D(75)),
                      "service.problems_solved": (D(1), D(50)),
                      "supervision.measures": (D(1), D("66.7"))}
    # The trend holds the year before with nothing but the measure-free 100 of 作风.
    assert portrait.years == [2023, 2024, 2025]
    assert portrait.trend["style"] == [D("40.0"), D("40.0"), D("64.2")]


def test_every_source_links_to_a_record_list_that_shows_its_records(example, cast, client):
    client.force_login(cast["head"])
    portrait = selectors.portrait(user=cast["head"], person=example, year=YEAR)
    lines = {line.source: line for line in _style(portrait).lines}
    page = client.get(lines["service.visits"].url)
    assert page.status_code == 200
    assert all(f"{DAY + dt.timedelta(days=i):%Y-%m-%d}" in page.content.decode()
               for i in range(9))
    page = client.get(lines["service.problems_solved"].url)
    assert page.status_code == 200 and "道路硬化" in page.content.decode()
    assert "饮水工程" not in page.content.decode()  # raised, not solved
    page = client.get(lines["supervision.measures"].url)
    assert page.status_code == 200 and example.name in page.content.decode()
    body = client.get(reverse("portrait:person", args=[example.pk]),
                      {"year": YEAR}).content.decode()
    for line in lines.values():
        assert line.url.replace("&", "&amp;") in body


def test_the_sensitive_source_is_counted_but_not_shown_without_supervision_rights(
        example, cast, client):
    # The deputy sees the managed cadre (custom scope) but holds no supervision.view.
    client.force_login(cast["deputy"])
    data = client.get(f"/api/v1/portrait/people/{example.pk}", {"year": YEAR}).json()
    style = next(d for d in data["dimensions"] if d["key"] == "style")
    assert style["score"] == 64.2 or D(str(style["score"])) == D("64.2")
    measure = next(s for s in style["sources"] if s["source"] == "supervision.measures")
    assert measure["hidden"] is True
    assert (measure["value"], measure["part"], measure["records_url"]) == (None, None, "")
    page = client.get(reverse("portrait:person", args=[example.pk]), {"year": YEAR})
    body = page.content.decode()
    assert reverse("supervision:measures") not in body
    assert 'id="restricted-note"' in body
    # The supervision officer sees the value and the link.
    client.force_login(cast["supervisor"])
    data = client.get(f"/api/v1/portrait/people/{example.pk}", {"year": YEAR}).json()
    style = next(d for d in data["dimensions"] if d["key"] == "style")
    measure = next(s for s in style["sources"] if s["source"] == "supervision.measures")
    assert measure["hidden"] is False and D(str(measure["value"])) == 1
    assert measure["records_url"].startswith(reverse("supervision:measures"))


def test_someone_out_of_scope_is_not_found_and_not_named(example, cast, client):
    client.force_login(cast["outsider"])
    answer = client.get(f"/api/v1/portrait/people/{example.pk}")
    assert answer.status_code == 404 and "error" in answer.json()
    assert example.name not in answer.content.decode()
    page = client.get(reverse("portrait:compare"),
                      {"people": [cast.people["outsider"].pk, example.pk]})
    assert page.status_code == 404 and example.name not in page.content.decode()


def test_a_bad_year_gets_a_chinese_422_in_the_api(cast, client):
    client.force_login(cast["head"])
    answer = client.get(f"/api/v1/portrait/people/{cast.people['managed'].pk}",
                        {"year": "20x5"})
    assert answer.status_code == 422
    assert answer.json()["error"]["fields"]["year"]


def test_the_portrait_prints_as_a_pdf_and_the_print_is_audited(example, cast, client):
    client.force_login(cast["head"])
    answer = client.get(reverse("portrait:person_pdf", args=[example.pk]), {"year": YEAR})
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="portrait.portrait.print",
                                     object_id=str(example.pk)).exists()


def test_the_compare_page_sets_several_cadres_side_by_side(example, cast, client):
    client.force_login(cast["head"])
    other = cast.people["cadre"]
    page = client.get(reverse("portrait:compare"),
                      {"people": [example.pk, other.pk], "year": YEAR})
    body = page.content.decode()
    assert page.status_code == 200
    assert example.name in body and other.name in body and "64.2" in body
    assert 'id="compare-chart-data"' in body


def test_a_rule_edit_is_versioned_audited_and_changes_the_score(example, cast, client):
    default = SourceRule.objects.get(department=None, dimension="style",
                                     source="supervision.measures")
    client.force_login(cast["assessor"])
    url = reverse("portrait:rule_edit", args=[cast.dept.pk, default.pk])
    form = {"dimension": "style", "source": default.source, "weight": "40", "target": "2",
            "direction": "down", "absent_is_zero": "on", "sensitive": "on",
            "detail_cap": "supervision.view", "active": "on", "order": "0",
            "version": default.version}
    assert client.post(url, form).status_code == 302
    # The department's first edit copied the defaults into its own set and changed the copy.
    rule = SourceRule.objects.get(department=cast.dept, dimension="style",
                                  source="supervision.measures")
    assert (rule.target, rule.version) == (D(2), 2)
    default.refresh_from_db()
    assert (default.target, default.version) == (D(3), 1)
    assert AuditEntry.objects.filter(action="portrait.rule.update",
                                     object_id=str(rule.pk)).exists()
    url = reverse("portrait:rule_edit", args=[cast.dept.pk, rule.pk])
    # 1 measure against a target of 2: part 50; (2250 + 1500 + 2000) / 100 = 57.5
    assert _style(selectors.portrait(user=cast["head"], person=example,
                                     year=YEAR)).score == D("57.5")
    stale = client.post(url, {**form, "target": "4", "version": 1})
    assert str(conflict_message()) in stale.content.decode()
    assert stale.status_code == 400
    rule.refresh_from_db()
    assert rule.target == D(2)


def test_a_rule_naming_no_registered_figure_is_refused_in_chinese(cast):
    with pytest.raises(Exception) as caught:
        services.rule_create(by=cast["head"], department=cast.dept, dimension="party",
                             source="nothing.here", weight=D(10), target=D(1))
    assert "source" in caught.value.message_dict


def test_a_hook_can_feed_a_dimension_where_no_metric_does(example, cast):
    # supervision.admonishments (a registry hook) lists each 诫勉 as a line.
    services.rule_create(by=cast["head"], department=cast.dept, dimension="results",
                         source="hook:supervision.admonishments", weight=D(30),
                         target=D(1), direction="down")
    supervision_services.measure_record(by=SYSTEM, person=example, kind="admonishment",
                                        on=DAY, source="daily", facts="诫勉一次")
    results = next(d for d in selectors.portrait(user=cast["head"], person=example,
                                                 year=YEAR).dimensions
                   if d.key == "results")
    hooked = next(line for line in results.lines if line.source.startswith("hook:"))
    assert (hooked.value, hooked.part) == (D(1), D(0))


def test_the_five_type_view_links_every_figure_to_its_records(example, cast, client):
    client.force_login(cast["head"])
    page = client.get(reverse("portrait:department"), {"year": YEAR})
    body = page.content.decode()
    figures = selectors.department_figures(user=cast["head"], department=cast.dept,
                                           year=YEAR)
    assert [f.key for f in figures] == ["learning", "clean", "service", "innovative",
                                        "harmonious"]
    service = next(f for f in figures if f.key == "service")
    assert service.value == 1
    for figure in figures:
        assert f'id="type-{figure.key}"' in body
        assert client.get(figure.url).status_code == 200


def test_the_person_tab_shows_the_scores_and_their_sources(example, cast, client):
    client.force_login(cast["head"])
    page = client.get(reverse("portrait:person_tab", args=[example.pk]))
    assert page.status_code == 200 and 'id="portrait-tab-scores"' in page.content.decode()
