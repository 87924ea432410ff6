"""Figures for any unit and period over the reader's scope: the API's fixed shape, the
structured errors, the links to the records, year-on-year, the exports, the roll-up from
summaries, the scheduled job, the workbench and the annual report's docx."""

import datetime as dt
import io

import pytest
from docx import Document
from openpyxl import load_workbook

from zugong.care import services as care
from zugong.core.audit import SYSTEM
from zugong.core.models import JobRun
from zugong.core.registry import workbench_items
from zugong.reports import selectors, services, tasks
from zugong.reports.models import FigureSummary

pytestmark = pytest.mark.django_db
API = "/api/v1/reports/figures"


def _activity(cast, *, title="篮球友谊赛", day=dt.date(2026, 3, 2), people=("chief", "cadre")):
    return care.activity_record(by=SYSTEM, department=cast.dept, kind="culture", title=title,
                                held_on=day, organizer=cast.people["chief"],
                                participants=[cast.people[n] for n in people])


def _figures(client, **params):
    response = client.get(API, params)
    assert response.status_code == 200, response.content
    return {row["key"]: row for row in response.json()}


def test_the_api_returns_exactly_the_named_fields_counted_from_the_records(cast, client):
    _activity(cast)
    client.force_login(cast.users["head"])
    rows = client.get(API, {"unit": cast.dept.pk, "period": "2026"}).json()
    assert all(set(row) == {"key", "label", "value", "unit", "records_url"} for row in rows)
    year = {row["key"]: row for row in rows}
    assert year["care.activities_organized"]["value"] == "1"
    assert year["care.participations"]["value"] == "2"
    assert year["care.participants"]["value"] == "2"  # two people took part
    assert year["care.participations"]["label"] == "参加关怀活动（人次）"
    # The month holds it, the next month does not; the range does.
    assert _figures(client, unit=cast.dept.pk, period="2026-03")[
        "care.participations"]["value"] == "2"
    assert _figures(client, unit=cast.dept.pk, period="2026-04")[
        "care.participations"]["value"] == "0"
    assert _figures(client, unit=cast.dept.pk, period="2026-01..2026-06")[
        "care.participations"]["value"] == "2"
    # A section counts its own people only.
    assert _figures(client, unit=cast.sec_cadre.pk, period="2026")[
        "care.participations"]["value"] == "0"
    assert _figures(client, unit=cast.sec_org.pk, period="2026")[
        "care.participations"]["value"] == "2"


def test_a_cadre_counts_only_their_own_records(cast, client):
    _activity(cast)
    client.force_login(cast.users["cadre"])
    mine = _figures(client, period="2026")
    assert mine["care.participations"]["value"] == "1"
    assert mine["care.activities_organized"]["value"] == "0"  # the chief organized it


def test_a_bad_period_or_a_unit_out_of_scope_gets_a_structured_answer(cast, client):
    client.force_login(cast.users["head"])
    bad = client.get(API, {"unit": cast.dept.pk, "period": "2026-13"})
    assert bad.status_code == 422
    assert "period" in bad.json()["error"]["fields"]
    assert "2026-01..2026-06" in bad.json()["error"]["fields"]["period"][0]
    backwards = client.get(API, {"period": "2026-06..2026-01"})
    assert backwards.status_code == 422
    outside = client.get(API, {"unit": cast.other_dept.pk})
    missing = client.get(API, {"unit": 999999})
    assert outside.status_code == missing.status_code == 404
    assert outside.json() == missing.json()
    assert "凤凰" not in outside.content.decode()
    page = client.get("/reports/figures/", {"period": "last year"})
    assert page.status_code == 400
    assert "2026-01..2026-06" in page.content.decode()


def test_every_value_links_to_the_records_behind_it(cast, client):
    _activity(cast, title="红色教育基地参观")
    client.force_login(cast.users["head"])
    figure = _figures(client, unit=cast.dept.pk, period="2026-03")["care.participations"]
    assert f"unit={cast.dept.pk}" in figure["records_url"]
    assert "start=2026-03-01" in figure["records_url"]
    assert "end=2026-03-31" in figure["records_url"]
    page = client.get(figure["records_url"])
    assert page.status_code == 200
    assert "红色教育基地参观" in page.content.decode()
    # The figures page shows the value as that link.
    html = client.get("/reports/figures/", {"unit": cast.dept.pk, "period": "2026-03"})
    assert figure["records_url"].replace("&", "&amp;") in html.content.decode()


def test_the_same_period_last_year_is_compared(cast, client):
    _activity(cast, day=dt.date(2025, 3, 5), people=("chief",))
    _activity(cast, day=dt.date(2026, 3, 2))
    head = cast.users["head"]
    span = selectors.span_of("2026-Q1")
    assert span.previous_year().key == "2025-Q1"
    assert selectors.span_of("2026-01..2026-06").previous_year().key == "2025-01..2025-06"
    value = next(v for v in selectors.figure_values(user=head, span=span, unit=cast.dept,
                                                    compare=True)
                 if v.key == "care.participations")
    assert (value.value, value.previous, value.change, value.change_pct) == (2, 1, 1, 100)


def test_the_figures_export_to_xlsx_and_pdf(cast, client):
    _activity(cast)
    client.force_login(cast.users["head"])
    params = {"unit": cast.dept.pk, "period": "2026"}
    response = client.get("/reports/figures/export.xlsx", params)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = {row[7]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["care.participations"][2] == 2
    pdf = client.get("/reports/figures/print.pdf", params)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_rollup_reads_the_summaries_kept_by_the_job_not_the_records(cast, client):
    _activity(cast)
    run = tasks.refresh_summaries  # the scheduled job (core.jobs.recorded)
    services.summaries_refresh(by=SYSTEM, year=2026)
    head = cast.users["head"]
    table = selectors.rollup(user=head, unit=cast.dept, span=selectors.span_of("2026"))
    names = [c.name for c in table.children]
    assert names[:2] == ["组织室", "干部室"]
    row = next(r for r in table.rows if r["figure"].key == "care.participations")
    assert row["values"][0] == 2 and row["total"] == 2
    people = next(r for r in table.rows if r["figure"].key == "care.participants")
    assert people["total"] == 2
    month = selectors.rollup(user=head, unit=cast.dept, span=selectors.span_of("2026-03"))
    assert next(r for r in month.rows if r["figure"].key == "care.participations")[
        "total"] == 2
    # A record added after the refresh shows only after the next refresh.
    _activity(cast, title="第二次", people=("chief",))
    again = selectors.rollup(user=head, unit=cast.dept, span=selectors.span_of("2026"))
    assert next(r for r in again.rows if r["figure"].key == "care.participations")[
        "total"] == 2
    client.force_login(head)
    response = client.post("/reports/rollup/refresh/", {"year": "2026", "unit": cast.dept.pk})
    assert response.status_code == 302
    after = selectors.rollup(user=head, unit=cast.dept, span=selectors.span_of("2026"))
    assert next(r for r in after.rows if r["figure"].key == "care.participations")[
        "total"] == 3
    # The province's summary holds the county's people too (every ancestor has its row).
    assert FigureSummary.objects.get(unit=cast.province, metric="care.participations",
                                     period="2026", category="org_cadre").value == 3
    run()
    assert JobRun.objects.filter(name="reports_summaries", status="succeeded").exists()
    page = client.get("/reports/rollup/", {"unit": cast.dept.pk, "period": "2026"})
    assert page.status_code == 200 and "组织室" in page.content.decode()
    # Each cell opens that unit's figure, whose values link to the records.
    assert (f"/reports/figures/care.participations/?unit={cast.sec_org.pk}&amp;period=2026"
            in page.content.decode())


def test_a_rollup_is_refused_to_whom_does_not_oversee_the_whole_tree(cast, client):
    client.force_login(cast.users["deputy"])  # custom scope: two units, not the tree
    assert client.get("/reports/rollup/", {"unit": cast.sec_org.pk}).status_code == 200
    assert client.get("/reports/rollup/", {"unit": cast.other_dept.pk}).status_code == 404
    client.force_login(cast.users["head"])
    assert client.get("/reports/rollup/", {"period": "2026-Q1"}).status_code == 400


def test_the_workbench_shows_leaders_the_headline_figures_linked_to_records(cast):
    today = dt.date(2026, 3, 20)
    _activity(cast)
    items = [i for i in workbench_items(user=cast.users["head"], today=today)
             if i.section == "figure"]
    participations = next(i for i in items if i.key == "reports.care.participations")
    assert participations.count == "2" and "start=2026-01-01" in participations.url
    assert participations.label == "参加关怀活动（人次）"  # the unit is not said twice
    activities = next(i for i in items if i.key == "reports.care.activities_organized")
    assert activities.label == "组织关怀活动（次）"
    assert not [i for i in workbench_items(user=cast.users["cadre"], today=today)
                if i.section == "figure"]


def test_the_annual_report_is_an_editable_docx_whose_numbers_are_the_figures(cast, client):
    _activity(cast)
    _activity(cast, title="趣味运动会", day=dt.date(2026, 5, 4), people=("chief",))
    client.force_login(cast.users["head"])
    response = client.get("/reports/annual/report.docx", {"unit": cast.dept.pk,
                                                           "year": "2026"})
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    figures = _figures(client, unit=cast.dept.pk, period="2026")
    assert figures["care.activities_organized"]["value"] == "2"
    assert figures["care.participations"]["value"] == "3"
    assert "泸溪县委组织部2026年度工作报告" in text
    assert "组织关怀活动2次，2名干部参加（3人次）" in text
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"][:3] == [
        "抓学习，优作风，强化理想信念", "抓实干，优服务，锤炼过硬本领",
        "抓管理，优关怀，提升团队效能"]
    # The appendix lists every figure with the same value as the API.
    table = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows[1:]}
    for row in figures.values():
        assert table[row["label"]] == row["value"]
    assert "【" not in text  # every placeholder was a known figure


def test_a_department_edits_its_own_template(cast, client):
    client.force_login(cast.users["head"])
    response = client.post(f"/reports/annual/template/?unit={cast.dept.pk}", {
        "title": "{unit}{year}年工作总结", "body": "# 抓学习\n学习{learning.study_hours}学时。",
        "version": ""})
    assert response.status_code == 302
    page = client.get("/reports/annual/", {"unit": cast.dept.pk, "year": "2026"})
    assert "泸溪县委组织部2026年工作总结" in page.content.decode()
    assert "学习0学时。" in page.content.decode()
    # Another department still reads the default.
    client.force_login(cast.users["outsider"])
    other = client.get("/reports/annual/").content.decode()
    assert "凤凰县委组织部" in other and "抓实干" in other
