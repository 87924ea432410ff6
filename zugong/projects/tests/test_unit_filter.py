"""The unit filter on the records pages the figures link to (issue 22): a figure computed
for a unit opens ``<page>?unit=<id>`` and the page lists that unit's people's records, so
the listed records add up to the figure; a unit out of scope or missing is 404 and named
nowhere."""

import datetime as dt

import pytest
from django.apps import apps
from django.urls import reverse

from zugong.core.audit import SYSTEM
from zugong.core.metrics import get as metric
from zugong.people.access import subtree_q
from zugong.people.models import Person
from zugong.projects import services
from zugong.projects.models import FollowUp

D = dt.date
YEAR = {"start": "2025-01-01", "end": "2025-12-31"}


def _people(unit):
    return Person.objects.filter(subtree_q("unit_path", unit.path))


def _figure(key, unit):
    """The metric's value for the unit's people in 2025."""
    return int(sum(metric(key).totals(people=_people(unit), start=D(2025, 1, 1),
                                      end=D(2025, 12, 31)).values()))


@pytest.fixture
def records(cast):
    """组织室 (the chief, the cadre) and 干部室 (cadre2) each declare a project in 2025,
    submit an idea and have an information item adopted; the 组织室 project is followed
    up by both sections."""
    people = cast.people
    mine = services.project_declare(by=SYSTEM, person=people["cadre"], unit=cast.sec_org,
                                    title="党员积分制管理", summary="探索", on=D(2025, 1, 5))
    services.project_declare(by=SYSTEM, person=people["cadre2"], unit=cast.sec_cadre,
                             title="干部档案数字化", summary="探索", on=D(2025, 2, 5))
    mine = services.project_classify(by=SYSTEM, project=mine, version=mine.version,
                                     category="party", guiding_section=cast.sec_org,
                                     on=D(2025, 1, 10))
    for who, kind, on in (("chief", "monthly", D(2025, 1, 12)),
                          ("cadre", "monthly", D(2025, 1, 20)),
                          ("cadre", "onsite", D(2025, 2, 5)),
                          ("cadre2", "monthly", D(2025, 3, 3)),
                          ("cadre", "monthly", D(2025, 5, 2))):
        FollowUp.objects.create(person=people[who], project=mine, kind=kind, on=on, note="x")
    writing = apps.get_model("learning", "Writing").objects
    for who, title in (("cadre", "组织室信息"), ("cadre2", "干部室信息")):
        services.idea_submit(by=SYSTEM, person=people[who], kind="idea", title=f"{title}点子",
                             content="建议", on=D(2025, 4, 1))
        item = writing.create(person=people[who], on=D(2025, 4, 1), kind="info", title=title,
                              status="confirmed")
        services.adoption_record(by=SYSTEM, writing_id=item.pk, level="prefectural",
                                 outlet="州委组织部", on=D(2025, 4, 10))
    return mine


PAGES = {"projects:list": ("党员积分制管理", "干部档案数字化"),
         "projects:ideas": ("组织室信息点子", "干部室信息点子"),
         "projects:adoptions": ("组织室信息", "干部室信息")}


def _titles(name, rows):
    if name == "projects:list":
        return [p.title for p in rows]
    if name == "projects:ideas":
        return [i.title for i, _w in rows]
    return [w["title"] for _a, w in rows]


@pytest.mark.parametrize("name", list(PAGES))
def test_a_unit_filter_lists_only_that_units_records_and_says_so(cast, client, records,
                                                                 name):
    ours, theirs = PAGES[name]
    client.force_login(cast["head"])
    url = reverse(name)
    page = client.get(url, {"unit": cast.sec_org.pk, **YEAR})
    body = page.content.decode()
    assert page.status_code == 200 and _titles(name, page.context["rows"]) == [ours]
    assert 'id="unit-filter"' in body and "仅列出组织室（含下级单位）人员的记录" in body
    # The link that clears the filter keeps the period and drops the unit.
    assert 'id="unit-filter-clear" href="?start=2025-01-01&amp;end=2025-12-31"' in body
    other = client.get(url, {"unit": cast.sec_cadre.pk, **YEAR})
    assert _titles(name, other.context["rows"]) == [theirs]
    # Unfiltered: both, and no banner.
    whole = client.get(url)
    assert sorted(_titles(name, whole.context["rows"])) == sorted([ours, theirs])
    assert 'id="unit-filter"' not in whole.content.decode()


@pytest.mark.parametrize("name", [*PAGES, "projects:coverage"])
def test_a_unit_out_of_scope_or_missing_is_not_found_and_not_named(cast, client, records,
                                                                   name):
    client.force_login(cast["head"])
    for unit in (cast.other_section.pk, 999999, "x"):
        response = client.get(reverse(name), {"unit": unit})
        assert response.status_code == 404
        assert "凤凰" not in response.content.decode()


def test_the_listed_records_add_up_to_the_units_figures(cast, client, records):
    client.force_login(cast["head"])
    for unit in (cast.sec_org, cast.sec_cadre):
        params = {"unit": unit.pk, **YEAR}
        rows = {name: client.get(reverse(name), params).context["rows"]
                for name in PAGES}
        assert len(rows["projects:list"]) == _figure("projects.declared", unit) == 1
        assert len(rows["projects:ideas"]) == _figure("projects.ideas_submitted", unit) == 1
        assert len(rows["projects:adoptions"]) == _figure("projects.info_adopted", unit) == 1


def test_the_coverage_page_for_a_unit_counts_what_its_figures_count(cast, client, records):
    """2025, judged as of 1 January 2026. 组织室: the chief and the cadre made 4 follow-ups
    (1 on site); January (the chief's, first), February (the cadre's on-site) and May (the
    cadre's) are credited to them = 3 project-months, and Q1 on site = 1 project-quarter.
    干部室: cadre2's one follow-up made up March = 1 project-month, no quarter."""
    client.force_login(cast["head"])
    url = reverse("projects:coverage")
    expected = {cast.sec_org: (4, 1, 3, 1), cast.sec_cadre: (1, 0, 1, 0)}
    for unit, (made, onsite, months, quarters) in expected.items():
        page = client.get(url, {"unit": unit.pk, **YEAR})
        ctx = page.context
        assert (ctx["year"], ctx["made"]) == (2025, {"followups": made, "onsite": onsite})
        assert (ctx["totals"].monthly.met, ctx["totals"].onsite.met) == (months, quarters)
        assert made == _figure("projects.followups", unit)
        assert onsite == _figure("projects.onsite_guidance", unit)
        assert months == _figure("projects.followed_up_on_time", unit)
        assert quarters == _figure("projects.guided_on_time", unit)
        assert [p.title for p, _cov in ctx["rows"]] == ["党员积分制管理"]
        assert 'id="unit-filter"' in page.content.decode()
    # The whole department: the project's own coverage, 4 of 12 judged months (January
    # from the 10th to December; April and June onwards missed).
    whole = client.get(url, {"year": "2025"}).context
    assert (whole["totals"].monthly.met, whole["totals"].monthly.due) == (4, 12)
