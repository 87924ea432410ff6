"""A figure's link to its records (issue 22): every service page named by a metric's
``records_view`` honours ``?unit=``, lists exactly what the figure counts for that unit and
period, and answers 404 for a unit out of scope or missing, naming nothing."""

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.http import QueryDict
from django.urls import resolve

from zugong.core import metrics
from zugong.core.audit import SYSTEM
from zugong.people.access import subtree_q
from zugong.people.models import Person
from zugong.service import selectors, services, views
from zugong.service.metrics import METRICS

DAY = dt.date(2026, 3, 2)
START, END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
LISTS = {"service:visits": selectors.visit_list, "service:problems": selectors.problem_list,
         "service:deliveries": selectors.delivery_list, "service:deeds": selectors.deed_list,
         "service:liaisons": selectors.liaison_list, "service:orders": selectors.order_list}


def _records(cast, who, place):
    """A little of everything for one cadre, so that every service figure is above 0."""
    person = cast.people[who]
    d = dt.timedelta
    village = services.point_create(by=SYSTEM, person=person, kind="village",
                                    name=f"{place}村", on=dt.date(2026, 1, 1))
    household = services.household_create(by=SYSTEM, person=person, name=f"{place}户",
                                          on=dt.date(2026, 1, 1), difficulty=True)
    enterprise = services.point_create(by=SYSTEM, person=person, kind="enterprise",
                                       name=f"{place}公司", on=dt.date(2026, 1, 1))
    services.visit_record(by=SYSTEM, person=person, kind="village", point=village, on=DAY,
                          heard="听取意见", problem=f"{place}路灯损坏")
    services.visit_record(by=SYSTEM, person=person, kind="enterprise", point=enterprise,
                          on=DAY, heard="企业用工")
    for on in (dt.date(2026, 2, 10), DAY, DAY + d(days=1)):
        services.visit_record(by=SYSTEM, person=person, kind="household", mode="phone",
                              household=household, on=on, heard="电话联系")
    raised = services.problem_raise(by=SYSTEM, person=person, title=f"{place}饮水", on=DAY)
    solved = services.problem_solve(by=SYSTEM, problem=raised, version=raised.version,
                                    solved_on=DAY + d(days=3), evidence="已修")
    services.problem_rate(by=SYSTEM, problem=solved, version=solved.version,
                          satisfaction="satisfied", rated_on=DAY + d(days=4))
    for item in ("spirit", "policy", "skill", "medical", "care"):
        services.delivery_record(by=SYSTEM, person=person, household=household, item=item,
                                 on=DAY)
    deed = services.deed_create(by=SYSTEM, person=person, title=f"{place}修路", on=DAY)
    services.deed_update(by=SYSTEM, deed=deed, version=deed.version, status="done",
                         done_on=DAY + d(days=10))
    services.deed_create(by=SYSTEM, person=person, title=f"{place}建桥", on=DAY)
    expert = services.expert_create(by=SYSTEM, department=cast.dept, name=f"{place}专家",
                                    field="农技")
    order = services.order_place(by=SYSTEM, person=person, orderer_kind="village",
                                 orderer=f"{place}村", need="技术指导", on=DAY)
    order = services.order_match(by=SYSTEM, order=order, version=order.version,
                                 expert=expert, on=DAY)
    order = services.order_deliver(by=SYSTEM, order=order, version=order.version,
                                   on=DAY + d(days=2), delivery="现场指导")
    services.order_rate(by=SYSTEM, order=order, version=order.version, score=5)
    services.order_place(by=SYSTEM, person=person, orderer_kind="enterprise",
                         orderer=f"{place}公司", need="咨询", on=DAY)
    services.liaison_create(by=SYSTEM, person=person, kind="village", target=f"{place}村",
                            on=DAY)


@pytest.fixture
def two_sections(cast):
    _records(cast, "cadre", "白沙")  # 组织室
    _records(cast, "cadre2", "红岩")  # 干部室
    return cast


def _listed(url, user) -> int:
    """How many records the page at ``url`` lists for ``user`` (its selector with the
    page's own filters)."""
    parts = urlsplit(url)
    name = resolve(parts.path)
    name = f"{name.namespace}:{name.url_name}"
    filters = views._filters(QueryDict(parts.query))
    return LISTS[name](user=user, filters=filters).count()


def _table(response) -> str:
    return response.content.decode().split("<table")[1].split("</table>")[0]


def test_every_records_page_a_metric_names_takes_the_unit_filter():
    assert {m.records_view for m in METRICS} == set(LISTS)


@pytest.mark.parametrize("key", sorted(m.key for m in METRICS))
def test_a_figures_link_lists_what_the_figure_counts_for_each_unit(key, two_sections,
                                                                   client):
    cast = two_sections
    metric = metrics.get(key)
    client.force_login(cast["head"])
    for unit in (cast.sec_org, cast.sec_cadre):
        people = Person.objects.filter(subtree_q("unit_path", unit.path))
        value = sum(metric.totals(people=people, start=START, end=END).values())
        url = metric.records_url(start=START, end=END, unit=unit.pk)
        assert value > 0 and _listed(url, cast["head"]) == value, (key, unit.name)
        page = client.get(url)
        assert page.status_code == 200
        body = page.content.decode()
        assert 'id="unit-filter"' in body and unit.name in body
        assert 'id="unit-filter-clear"' in body


@pytest.mark.parametrize("name", sorted(LISTS))
def test_a_record_of_unit_a_is_listed_with_a_and_not_with_b(name, two_sections, client):
    cast = two_sections
    client.force_login(cast["head"])
    mine = client.get(f"/service/{name.split(':')[1]}/", {"unit": cast.sec_org.pk})
    theirs = client.get(f"/service/{name.split(':')[1]}/", {"unit": cast.sec_cadre.pk})
    assert mine.status_code == theirs.status_code == 200
    # Every list names the cadre of each row: 李小红 of 组织室, 王磊 of 干部室 (the table
    # only: a leader's form offers every cadre they keep).
    mine, theirs = _table(mine), _table(theirs)
    assert "李小红" in mine and "王磊" not in mine
    assert "王磊" in theirs and "李小红" not in theirs


@pytest.mark.parametrize("name", sorted(LISTS))
def test_a_unit_out_of_scope_or_missing_is_not_found_and_not_named(name, two_sections,
                                                                     client):
    cast = two_sections
    path = f"/service/{name.split(':')[1]}/"
    client.force_login(cast["head"])
    other = client.get(path, {"unit": cast.other_section.pk})  # another county's section
    missing = client.get(path, {"unit": 987654})
    garbage = client.get(path, {"unit": "x"})
    assert other.status_code == missing.status_code == garbage.status_code == 404
    assert "凤凰" not in other.content.decode()
    # A section chief's scope is their own section: the next section is out of it.
    client.force_login(cast["chief"])
    assert client.get(path, {"unit": cast.sec_cadre.pk}).status_code == 404
    assert client.get(path, {"unit": cast.sec_org.pk}).status_code == 200


def test_the_unit_filter_is_kept_by_the_filter_bar_the_export_and_the_coverage(two_sections,
                                                                                 client):
    cast = two_sections
    client.force_login(cast["head"])
    body = client.get("/service/visits/", {"unit": cast.sec_org.pk}).content.decode()
    assert f'name="unit" value="{cast.sec_org.pk}"' in body
    assert f"unit={cast.sec_org.pk}" in body.split('id="export"')[1].split(">")[0]
    # The clear link keeps the other filters and drops the unit.
    page = client.get("/service/visits/", {"unit": cast.sec_org.pk, "kind": "village"})
    clear = page.content.decode().split('id="unit-filter-clear" href="')[1].split('"')[0]
    assert clear == "?kind=village"
    coverage = client.get("/service/coverage/", {"unit": cast.sec_cadre.pk, "year": 2026})
    assert coverage.status_code == 200
    assert [p.name for p, _r in coverage.context["rows"]] == ["王磊", "陈刚"]
    assert client.get("/service/coverage/", {"unit": cast.other_section.pk}).status_code == 404


def test_the_api_lists_take_the_unit_filter_too(two_sections, client):
    cast = two_sections
    client.force_login(cast["head"])
    for path in ("/api/v1/service/visits", "/api/v1/service/problems",
                 "/api/v1/service/orders", "/api/v1/service/liaisons"):
        mine = client.get(path, {"unit": cast.sec_org.pk})
        assert mine.status_code == 200, path
        assert {i["person"] for i in mine.json()["items"]} == {"李小红"}, path
        assert client.get(path, {"unit": cast.other_section.pk}).status_code == 404, path
    covered = client.get("/api/v1/service/visits", {"unit": cast.sec_cadre.pk,
                                                    "kind": "household", "covered": "1"})
    # 王磊's household: contacted on 10 February, 2 and 3 March: February and March.
    assert [i["on"] for i in covered.json()["items"]] == ["2026-03-02", "2026-02-10"]
