"""The unit filter of the supervision lists (issue 22: each figure of a unit links to the
records behind it with ``?unit=<id>&start=&end=``): the list holds that unit's people only,
adds up to the figure, keeps every restriction it had, and a unit out of scope is 404."""

import datetime as dt

import pytest
from django.urls import reverse

from zugong.core import metrics as core_metrics
from zugong.core.audit import SYSTEM
from zugong.people.access import subtree_q
from zugong.people.models import Person
from zugong.supervision import services
from zugong.supervision.models import Partner

DAY = dt.date(2026, 3, 2)
SPAN = {"start": "2026-01-01", "end": "2026-12-31"}
MISSING = 999_999_999


@pytest.fixture
def records(cast):
    """The same records for 李小红 (组织室) and 王磊 (干部室)."""
    services.ensure_partners()
    partner = Partner.objects.get(code="sjj")
    study = services.study_record(by=SYSTEM, unit=cast.sec_org, on=DAY, topic="学习条例",
                                  participants=[cast.people["cadre"], cast.people["chief"],
                                                cast.people["cadre2"]])
    for name in ("cadre", "cadre2"):
        person = cast.people[name]
        services.measure_record(by=SYSTEM, person=person, kind="reminder", on=DAY,
                                source="daily", facts="提醒其注意工作方法")
        services.report_file(by=cast[name], kind="annual", year=2026, on=DAY,
                             family_jobs="配偶在县医院工作")
        services.lead_record(by=SYSTEM, person=person, partner=partner, on=DAY,
                             summary="审计发现问题")
        services.observation_record(by=SYSTEM, person=person, kind="social", on=DAY,
                                    note="社交圈正常")
        services.commitment_sign(by=cast[name], year=2026, on=DAY)
        services.package_record(by=cast[name], item="film", on=DAY)
        services.family_rating_record(by=SYSTEM, person=person, year=2026, level="model",
                                      on=DAY)
    return study


def _unit_people(unit):
    return Person.objects.filter(subtree_q("unit_path", unit.path))


def _figure(key, unit):
    totals = core_metrics.get(key).totals(people=_unit_people(unit), start=dt.date(2026, 1, 1),
                                          end=dt.date(2026, 12, 31))
    return int(sum(totals.values()))


def _get(client, user, name, **params):
    client.force_login(user)
    return client.get(reverse(name), params)


# (page, the rows of the response's context that name the people, the figure it adds up to)
PAGES = {
    "supervision:measures": (lambda ctx: [m.person for m in ctx["rows"]],
                             "supervision.measures"),
    "supervision:reports": (lambda ctx: [r.person for r in ctx["rows"]],
                            "supervision.reports_filed"),
    "supervision:leads": (lambda ctx: [lead.person for lead in ctx["rows"]],
                          "supervision.leads_received"),
    "supervision:observations": (lambda ctx: [o.person for o in ctx["rows"]],
                                 "supervision.observations"),
    "supervision:integrity_overview": (lambda ctx: [r.person for r in ctx["rows"]
                                                    if r.signed],
                                       "supervision.commitments_signed"),
    "supervision:ratings": (lambda ctx: [f.person for f in ctx["families"]
                                         if f.level == "model"],
                            "supervision.family_ratings_model"),
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_units_list_holds_its_people_and_adds_up_to_its_figure(name, cast, records,
                                                                 client):
    people_of, key = PAGES[name]
    for unit, mine, other in ((cast.sec_org, "cadre", "cadre2"),
                              (cast.sec_cadre, "cadre2", "cadre")):
        response = _get(client, cast["supervisor"], name, unit=unit.pk, **SPAN)
        assert response.status_code == 200
        listed = people_of(response.context)
        assert cast.people[mine] in listed and cast.people[other] not in listed
        assert len(listed) == _figure(key, unit) > 0
        html = response.content.decode()
        assert 'id="unit-filter"' in html and unit.name in html
        assert response.context["unit_clear"].startswith(reverse(name))
        assert "unit=" not in response.context["unit_clear"]
    # The whole department (the dept's own figure) holds both.
    response = _get(client, cast["supervisor"], name, unit=cast.dept.pk, **SPAN)
    assert {cast.people["cadre"], cast.people["cadre2"]} <= set(people_of(response.context))
    assert len(people_of(response.context)) == _figure(key, cast.dept)


def test_a_study_counts_only_the_units_participants_so_the_column_adds_up(cast, records,
                                                                          client):
    response = _get(client, cast["supervisor"], "supervision:studies", unit=cast.sec_org.pk,
                    **SPAN)
    [row] = response.context["rows"]
    assert row.people == 2 == _figure("supervision.study_participations", cast.sec_org)
    response = _get(client, cast["supervisor"], "supervision:studies",
                    unit=cast.sec_cadre.pk, **SPAN)
    [row] = response.context["rows"]  # the 组织室 activity 王磊 of 干部室 took part in
    assert row.people == 1 == _figure("supervision.study_participations", cast.sec_cadre)
    response = _get(client, cast["supervisor"], "supervision:studies",
                    unit=cast.sec_sup.pk, **SPAN)
    assert list(response.context["rows"]) == []


LISTS = (*PAGES, "supervision:studies", "supervision:measures_export",
         "supervision:leads_export", "supervision:ratings_export")


@pytest.mark.parametrize("name", LISTS)
def test_a_unit_out_of_scope_or_missing_is_not_found_and_not_named(name, cast, records,
                                                                   client):
    for unit in (cast.other_dept.pk, cast.other_section.pk, MISSING, "x"):
        response = _get(client, cast["supervisor"], name, unit=unit)
        assert response.status_code == 404, unit
        assert cast.other_dept.name not in response.content.decode()
    # The outsider heads another county: this county's section is out of their scope.
    assert _get(client, cast["outsider"], name, unit=cast.sec_org.pk).status_code == 404


def test_the_filter_only_narrows_what_the_user_may_already_see(cast, records, client):
    # The section chief reads no supervision lists, not even for his own section.
    for name in ("supervision:measures", "supervision:leads", "supervision:observations",
                 "supervision:integrity_overview", "supervision:ratings",
                 "supervision:studies"):
        assert _get(client, cast["chief"], name, unit=cast.sec_org.pk).status_code == 403
    # A cadre sees her own reports, but no unit's: a unit filter is not found.
    response = _get(client, cast["cadre"], "supervision:reports")
    assert [r.person for r in response.context["rows"]] == [cast.people["cadre"]]
    assert _get(client, cast["cadre"], "supervision:reports",
                unit=cast.sec_org.pk).status_code == 404


def test_closed_leads_are_dated_by_their_closing_and_the_filters_survive(cast, records,
                                                                         client):
    lead = services.lead_record(by=SYSTEM, person=cast.people["cadre"],
                                partner=Partner.objects.get(code="gaj"),
                                on=dt.date(2025, 11, 3), summary="反映问题")
    lead = services.lead_assign(by=cast["supervisor"], lead=lead, version=lead.version,
                                assignee=cast["supervisor"])
    lead = services.lead_verify(by=cast["supervisor"], lead=lead, version=lead.version,
                                verified_on=dt.date(2026, 2, 1), findings="已核实")
    services.lead_close(by=cast["supervisor"], lead=lead, version=lead.version,
                        closed_on=dt.date(2026, 2, 3), conclusion="cleared",
                        conclusion_note="予以澄清")
    response = _get(client, cast["supervisor"], "supervision:leads", unit=cast.sec_org.pk,
                    status="closed", **SPAN)
    assert [x.pk for x in response.context["rows"]] == [lead.pk]  # received in 2025
    assert _figure("supervision.leads_closed", cast.sec_org) == 1
    html = response.content.decode()
    assert f'name="unit" value="{cast.sec_org.pk}"' in html  # kept by the filter form
    assert 'id="period-filter"' in html
    assert response.context["export_params"] == {"unit": str(cast.sec_org.pk),
                                                  "status": "closed", **SPAN}
    export = _get(client, cast["supervisor"], "supervision:leads_export",
                  **response.context["export_params"])
    assert export.status_code == 200


def test_the_api_lists_take_the_unit_filter_too(cast, records, client):
    client.force_login(cast["supervisor"])
    for path in ("/api/v1/supervision/measures", "/api/v1/supervision/leads",
                 "/api/v1/supervision/reports"):
        items = client.get(path, {"unit": cast.sec_org.pk}).json()["items"]
        assert {i["person_id"] for i in items} == {cast.people["cadre"].pk}, path
        assert client.get(path, {"unit": cast.other_dept.pk}).status_code == 404
