"""The cadre workbook: template, dry run naming every bad cell, atomic import, export."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from zugong.interop import merge, services
from zugong.interop.exports import people_workbook as export_workbook
from zugong.interop.workbook import SHEETS, sheet_title, template_workbook
from zugong.people import idnumber
from zugong.people.models import OrgUnit, Person


def _book(rows: dict[str, list[list]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for code, (_title, cols) in SHEETS.items():
        ws = wb.create_sheet(sheet_title(code))
        ws.append([c.header for c in cols])
        for row in rows.get(code, []):
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


ID1 = idnumber.make("433122", dt.date(1990, 6, 1), 11)  # a man
ID2 = idnumber.make("433122", dt.date(1992, 2, 3), 22)  # a woman


def _good_rows():
    return {
        "B01": [["433122-U99", "县统计局", "433122", "县直单位"]],
        "A01": [
            ["石磊", "男", "1990-06-01", "苗族", "湖南泸溪", "湖南泸溪", "中共党员", "2012-06-01",
             "2013-07-01", "健康", "", ID1, "13900000011", "县统计局副局长", "乡科级副职",
             "433122-U99", "管理干部"],
            ["龙燕", "女", dt.date(1992, 2, 3), "土家族", "湖南凤凰", "", "群众", None,
             "2014-08-01", "健康", "", ID2, "", "科员", "科员级", "433122-U01", ""],
        ],
        "A02": [[ID1, "2013-07-01", "2019-05-01", "县统计局科员"],
                [ID1, "2019-05-01", None, "县统计局副局长"]],
        "A08": [[ID1, "全日制", "大学本科毕业", "经济学学士", "湘潭大学统计学专业"]],
        "A14": [[ID1, "奖励", "2020-12-01", "嘉奖", "泸溪县人民政府", "工作成绩突出"]],
        "A15": [[ID1, 2022, "优秀"], [ID1, 2023, "称职"], [ID2, 2023, "称职"]],
        "A36": [[ID1, "妻子", "田甜", "1991-03-01", "群众", "县一中教师", "否"],
                [ID1, "父亲", "石大山", "1962-01-01", "", "已故", "是"]],
    }


def test_a_good_workbook_imports_units_people_and_every_sheet(cast):
    batch, report = services.workbook_prepare(
        by=cast["head"], data=_book(_good_rows()), name="book.xlsx", unit=cast.county_unit,
        category="managed")
    assert report.ok, report.problems
    counts = services.batch_apply(by=cast["head"], batch=batch)
    assert counts["created"] == 2 and counts["units"] == 1
    person = Person.objects.get(name="石磊")
    assert person.unit == OrgUnit.objects.get(code="433122-U99")
    assert person.phone == "13900000011" and person.post_level.name == "乡科级副职"
    assert person.ft_degree.name == "经济学学士"
    assert person.resume.count() == 2 and person.rewards.count() == 1
    assert person.assessments.count() == 2 and person.family.count() == 2
    assert [m.is_deceased for m in person.family.all() if m.name == "石大山"] == [True]
    assert Person.objects.get(name="龙燕").unit == cast.county_unit


def test_every_bad_cell_is_named_and_nothing_is_imported(cast):
    from zugong.interop.services import workbook_prepare

    rows = _good_rows()
    rows["A01"][0][1] = "男性"  # not in the code table
    rows["A01"][0][2] = "1990-13-01"
    rows["A01"][1][11] = ID2[:-1] + ("0" if ID2[-1] != "0" else "1")  # wrong check character
    rows["A15"].append([ID1, "二〇二一", "优秀"])
    rows["A36"].append(["430000199001010000", "妻子", "某", None, None, None, "否"])
    batch, report = workbook_prepare(by=cast["head"], data=_book(rows), name="bad.xlsx",
                                     unit=cast.county_unit, category="managed")
    assert batch is None
    text = "\n".join(report.problems)
    assert "A01基本信息" in text
    for sheet, row, col in (("A01", 2, "B"), ("A01", 2, "C"), ("A01", 3, "L"), ("A15", 5, "B"),
                            ("A36", 4, "A")):
        assert f"工作表 {sheet}" in text and f"第 {row} 行 {col} 列" in text, (row, col, text)
    # The third is also why sheet A15 row 4 names an ID number that A01 does not hold.
    assert len(report.problems) == 6
    assert not Person.objects.filter(name__in=["石磊", "龙燕"]).exists()
    assert not OrgUnit.objects.filter(code="433122-U99").exists()


def test_the_template_has_every_sheet_and_drop_down_lists(db):
    wb = load_workbook(template_workbook())
    assert [ws.title for ws in wb.worksheets][:7] == [sheet_title(c) for c in SHEETS]
    a01 = wb[sheet_title("A01")]
    lists = [dv.formula1 for dv in a01.data_validations.dataValidation]
    assert len(lists) == 6 and all(f.startswith("=") for f in lists)
    assert wb["代码"].sheet_state == "hidden"
    values = [c.value for c in wb["代码"]["A"]]
    assert "男" in values


def test_export_then_import_of_the_same_people_changes_nothing(cast):
    from zugong.interop.services import workbook_prepare

    people = Person.objects.filter(unit__in=[cast.sec_org, cast.county_unit])
    buf, count = export_workbook(user=cast["head"], people=people)
    assert count == people.count()
    batch, report = workbook_prepare(by=cast["head"], data=buf.read(), name="x.xlsx",
                                     unit=cast.county_unit, category="managed")
    assert report.ok, report.problems
    diffs = merge.diff_batch(services.batch_records(batch), user=cast["head"])
    assert {d.status for d in diffs} == {"same"}, [d.changes for d in diffs]


def test_the_export_masks_id_numbers_the_viewer_may_not_see(cast):
    people = Person.objects.filter(pk=cast.people["cadre"].pk)
    buf, _count = export_workbook(user=cast["deputy"], people=people)
    ws = load_workbook(buf)[sheet_title("A01")]
    assert "*" in ws["L2"].value


@pytest.mark.parametrize("user", ["cadre", "supervisor"])
def test_read_only_roles_cannot_import_a_workbook(cast, user):
    from django.core.exceptions import PermissionDenied

    from zugong.interop.services import workbook_prepare

    with pytest.raises(PermissionDenied):
        workbook_prepare(by=cast[user], data=_book(_good_rows()), name="b.xlsx", unit=None,
                         category="managed")
