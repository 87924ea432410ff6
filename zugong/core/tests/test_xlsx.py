"""The shared xlsx export: header, widths, filter, Chinese file name, and text safety."""

import datetime as dt
import io
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.utils import timezone
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from zugong.core.xlsx import Column, Sheet, display_width, xlsx_response

INJECTIONS = [
    '=HYPERLINK("http://x","y")',
    "+1",
    "-1 ok",
    "@SUM(A1)",
    "  =1+1",
    "\t=1+1",
    "\r=1+1",
    "#N/A",
]


def _read(response):
    """The workbook a user would open, read back fully (not write-only)."""
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def _one_sheet(rows, columns=None, filename="export.xlsx"):
    columns = columns or [Column("name"), Column("value")]
    return xlsx_response(filename=filename,
                         sheets=[Sheet(title="data", columns=columns, rows=rows)])


def test_the_header_row_is_frozen_bold_and_filtered():
    ws = _read(_one_sheet([("a", 1), ("b", 2), ("c", 3)]))["data"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:B4"
    assert [c.value for c in ws[1]] == ["name", "value"]
    assert ws["A1"].font.b


def test_columns_get_the_given_width_or_one_from_the_label_counting_chinese_double():
    columns = [Column("x", width=33), Column("党组织名称"), Column("a rather long label")]
    ws = _read(_one_sheet([(1, 2, 3)], columns=columns))["data"]
    assert ws.column_dimensions["A"].width == 33
    assert ws.column_dimensions["B"].width == display_width("党组织名称") + 2 == 12
    assert ws.column_dimensions["C"].width == len("a rather long label") + 2


def test_a_chinese_file_name_reaches_the_browser():
    response = _one_sheet([("a", 1)], filename="学习记录-20261203.xlsx")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert f"filename*=utf-8''{quote('学习记录-20261203.xlsx')}" in disposition
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize("text", INJECTIONS)
def test_a_formula_like_value_comes_back_as_the_same_text_never_a_formula(text):
    ws = _read(_one_sheet([(text, 1)]))["data"]
    cell = ws["A2"]
    assert cell.value == text
    assert cell.data_type == "s"
    assert cell.quotePrefix


def test_a_formula_like_header_is_text_too():
    ws = _read(_one_sheet([(1, 2)], columns=[Column("=1+2"), Column("ok")]))["data"]
    assert (ws["A1"].value, ws["A1"].data_type) == ("=1+2", "s")


def test_control_characters_are_removed_without_an_error():
    ws = _read(_one_sheet([("a\x01b\x0bc\x1fd", "tab\tand\nnewline stay")]))["data"]
    assert ws["A2"].value == "abcd"
    assert ws["B2"].value == "tab\tand\nnewline stay"


def test_numbers_dates_decimals_booleans_none_and_lazy_strings_are_written():
    moment = timezone.make_aware(dt.datetime(2026, 12, 3, 9, 30), dt.UTC)
    row = (7, 2.5, Decimal("1.25"), True, None, dt.date(2026, 12, 3), moment,
           gettext_lazy("status"), "普通文本")
    columns = [Column(str(i)) for i in range(len(row))]
    ws = _read(_one_sheet([row], columns=columns))["data"]
    values = [c.value for c in ws[2]]
    assert values[:5] == [7, 2.5, 1.25, True, None]
    assert values[5] == dt.datetime(2026, 12, 3)
    # Aware times are shown as the office's wall clock (Asia/Shanghai is UTC+8).
    assert values[6] == timezone.localtime(moment).replace(tzinfo=None)
    assert values[7] == str(gettext_lazy("status")) and values[8] == "普通文本"
    assert ws["A2"].data_type == "n" and ws["I2"].data_type == "s"


def test_columns_with_getters_read_objects_and_several_sheets_are_written():
    people = [{"name": "张三", "age": 40}, {"name": "李四", "age": 35}]
    response = xlsx_response(filename="two.xlsx", sheets=[
        Sheet(title="人员", columns=[Column("姓名", value=lambda p: p["name"]),
                                     Column("年龄", value=lambda p: p["age"])], rows=people),
        Sheet(title="a/b:c", columns=[Column("n")], rows=[(1,), (2,), (3,)]),
    ])
    assert response.row_counts == (2, 3)
    wb = _read(response)
    assert wb.sheetnames == ["人员", "a_b_c"]
    assert [[c.value for c in r] for r in wb["人员"].iter_rows(min_row=2)] == [["张三", 40],
                                                                            ["李四", 35]]
    assert wb["a_b_c"].auto_filter.ref == "A1:A4"


def test_five_thousand_rows_from_a_generator_are_all_written():
    rows = ((f"人员{i}", i) for i in range(5000))
    response = _one_sheet(rows)
    assert response.row_counts == (5000,)
    ws = _read(response)["data"]
    assert ws.max_row == 5001
    assert (ws["A5001"].value, ws["B5001"].value) == ("人员4999", 4999)
    assert ws.auto_filter.ref == "A1:B5001"


def test_a_row_of_the_wrong_length_is_a_developer_error_and_leaves_no_temporary_file():
    from openpyxl.worksheet._writer import ALL_TEMP_FILES

    before = list(ALL_TEMP_FILES)
    with pytest.raises(ValueError, match="2 columns"):
        _one_sheet([("a", 1), ("only one",)])
    assert ALL_TEMP_FILES == before
