"""The cadre information workbook: sheets B01, A01, A02, A08, A14, A15 and A36.

People are keyed by ID number across the sheets. Code values are written as their names
(男, 汉族, 大学本科毕业 …) and checked against the code tables; the template offers them
as drop-down lists. Reading turns the workbook into the same records as the LRMX reader,
so preview, matching and the atomic import are shared.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from zugong.core.masking import mask_id_number, mask_phone
from zugong.core.models import DictTable
from zugong.core.xlsx import _cell
from zugong.people import idnumber
from zugong.people.models import PersonCategory, UnitKind

from . import merge
from .lrmx import BadDate, Codes, parse_date

T = DictTable


@dataclass(frozen=True)
class Col:
    key: str
    header: str  # the Chinese header users see; it is the workbook's own vocabulary
    table: str | None = None  # code table the value is a name of
    kind: str = "text"  # text, date, int, bool
    required: bool = False
    width: int = 14


ID = Col("id_number", "身份证号", required=True, width=21)
# The sheets and their columns. Headers are fixed Chinese because other departments'
# tools read the same workbook.
SHEETS: dict[str, tuple[str, tuple[Col, ...]]] = {
    "B01": ("单位", (
        Col("code", "单位代码", required=True), Col("name", "单位名称", required=True, width=24),
        # No parent: a top unit (a new department), for whoever may create departments.
        Col("parent", "上级单位代码"), Col("kind", "单位类别"),
    )),
    "A01": ("基本信息", (
        Col("name", "姓名", required=True), Col("sex", "性别", T.SEX, required=True),
        Col("birth_date", "出生日期", kind="date", required=True),
        Col("ethnicity", "民族", T.ETHNICITY), Col("native_place", "籍贯"),
        Col("birthplace", "出生地"), Col("political_status", "政治面貌", T.POLITICAL_STATUS),
        Col("party_join_date", "入党时间", kind="date"),
        Col("work_start_date", "参加工作时间", kind="date"), Col("health", "健康状况", T.HEALTH),
        Col("professional_title", "专业技术职务"), ID, Col("phone", "联系电话", width=14),
        Col("current_post", "现任职务", width=24), Col("post_level", "职务层次", T.POST_LEVEL),
        Col("unit", "所在单位代码", required=True), Col("category", "人员类别"),
    )),
    "A02": ("任职", (
        ID, Col("start", "任职时间", kind="date", required=True),
        Col("end", "免职时间", kind="date"), Col("text", "任职单位及职务", required=True, width=36),
    )),
    "A08": ("学历学位", (
        ID, Col("mode", "教育类别", required=True), Col("education", "学历", T.EDUCATION),
        Col("degree", "学位", T.DEGREE), Col("school", "毕业院校系及专业", width=30),
    )),
    "A14": ("奖惩", (
        ID, Col("kind", "奖惩类别", required=True), Col("date", "奖惩日期", kind="date",
                                                      required=True),
        Col("title", "奖惩名称", required=True, width=24), Col("issuer", "批准机关", width=24),
        Col("reason", "奖惩原因", width=30),
    )),
    "A15": ("年度考核", (
        ID, Col("year", "考核年度", kind="int", required=True),
        Col("result", "考核结果", T.ASSESSMENT_RESULT, required=True),
    )),
    "A36": ("家庭成员", (
        ID, Col("relation", "称谓", T.FAMILY_RELATION, required=True),
        Col("name", "姓名", required=True), Col("birth_date", "出生日期", kind="date"),
        Col("political_status", "政治面貌", T.POLITICAL_STATUS),
        Col("work_unit_and_post", "工作单位及职务", width=30),
        Col("is_deceased", "是否已故", kind="bool"),
    )),
}
CATEGORY_NAMES = {"组工干部": PersonCategory.ORG_CADRE, "管理干部": PersonCategory.MANAGED}
MODE_NAMES = {"全日制": "ft", "在职": "is"}
REWARD_KINDS = {"奖励": "reward", "惩处": "punishment", "处分": "punishment"}
BOOL_NAMES = {"是": True, "否": False, "": False}
UNIT_KIND_NAMES = {str(label): value for value, label in UnitKind.choices}


def sheet_title(code: str) -> str:
    return f"{code}{SHEETS[code][0]}"


# ---------------------------------------------------------------- reading


@dataclass
class WorkbookReport:
    records: list
    units: list
    problems: list

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.records or self.units)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _find_sheet(wb, code: str):
    for ws in wb.worksheets:
        if ws.title.upper().startswith(code):
            return ws
    return None


class _Sheet:
    """One sheet's rows as dicts, with every bad cell named (sheet, row, column, reason)."""

    def __init__(self, code, ws, codes: Codes, problems: list):
        self.code, self.ws, self.codes, self.problems = code, ws, codes, problems
        self.cols = SHEETS[code][1]

    def bad(self, row: int, col: Col, reason: str) -> None:
        letter = get_column_letter(self.cols.index(col) + 1)
        self.problems.append(_("Sheet %(sheet)s, row %(row)s, column %(col)s (%(header)s): "
                               "%(reason)s") % {"sheet": self.ws.title, "row": row,
                                                "col": letter, "header": col.header,
                                                "reason": reason})

    def rows(self):
        it = self.ws.iter_rows(values_only=True)
        header = [_cell_text(v) for v in next(it, ())]
        positions = {}
        for col in self.cols:
            if col.header in header:
                positions[col.key] = header.index(col.header)
            elif col.required:
                self.problems.append(_("Sheet %(sheet)s: the column “%(header)s” is missing.")
                                     % {"sheet": self.ws.title, "header": col.header})
        if any(c.required and c.key not in positions for c in self.cols):
            return
        for number, values in enumerate(it, start=2):
            raw = {c.key: _cell_text(values[positions[c.key]])
                   if c.key in positions and positions[c.key] < len(values) else ""
                   for c in self.cols}
            if not any(raw.values()):
                continue
            yield number, self.convert(number, raw, values, positions)

    def convert(self, number, raw, values, positions):
        out = {}
        for col in self.cols:
            text = raw[col.key]
            if not text:
                if col.required:
                    self.bad(number, col, _("This cell is required."))
                out[col.key] = None if col.kind != "text" else ""
                continue
            if col.table:
                code = self.codes.code(col.table, text)
                if code is None:
                    self.bad(number, col, _("“%(value)s” is not in the code table.")
                             % {"value": text})
                out[col.key] = code
            elif col.kind == "date":
                value = values[positions[col.key]]
                if isinstance(value, dt.datetime):
                    out[col.key] = value.date().isoformat()
                elif isinstance(value, dt.date):
                    out[col.key] = value.isoformat()
                else:
                    try:
                        out[col.key] = parse_date(text)[0].isoformat()
                    except BadDate:
                        self.bad(number, col, _("“%(value)s” is not a valid date.")
                                 % {"value": text})
                        out[col.key] = None
            elif col.kind == "int":
                if not text.isdigit():
                    self.bad(number, col, _("“%(value)s” is not a whole number.")
                             % {"value": text})
                out[col.key] = int(text) if text.isdigit() else None
            elif col.kind == "bool":
                if text not in BOOL_NAMES:
                    self.bad(number, col, _("Write 是 or 否."))
                out[col.key] = BOOL_NAMES.get(text, False)
            else:
                out[col.key] = text
        return out


def read_workbook(data: bytes, codes: Codes | None = None) -> WorkbookReport:
    codes = codes or Codes.load()
    problems: list[str] = []
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise ValidationError({"file": _("The file is not an Excel workbook (.xlsx).")}) from exc
    sheets = {code: _find_sheet(wb, code) for code in SHEETS}
    if sheets["A01"] is None:
        raise ValidationError({"file": _("The workbook has no sheet A01 (basic information).")})
    units = []
    if sheets["B01"] is not None:
        s = _Sheet("B01", sheets["B01"], codes, problems)
        for number, row in s.rows():
            if row["kind"] and row["kind"] not in UNIT_KIND_NAMES:
                s.bad(number, s.cols[3], _("Unknown unit category."))
            units.append({**row, "row": number})
    records: dict[str, dict] = {}
    s = _Sheet("A01", sheets["A01"], codes, problems)
    for number, row in s.rows():
        key = idnumber.normalize(row["id_number"])
        found = idnumber.problems(key, birth_date=dt.date.fromisoformat(row["birth_date"])
                                  if row["birth_date"] else None, sex_code=row["sex"])
        if found:
            s.bad(number, ID, " ".join(found))
        if key in records:
            s.bad(number, ID, _("The ID number appears twice in the sheet."))
            continue
        category = row.pop("category") or ""
        if category and category not in CATEGORY_NAMES:
            s.bad(number, s.cols[-1], _("Write 组工干部 or 管理干部."))
        person = {k: row[k] for k in merge.PERSON_KEYS if k in row}
        person["id_number"] = key
        for k in ("ft_education", "ft_degree", "ft_school", "is_education", "is_degree",
                  "is_school"):
            person[k] = None if "school" not in k else ""
        records[key] = {
            "source": _("%(sheet)s row %(row)s") % {"sheet": sheets["A01"].title, "row": number},
            "person": person, "resume": [], "family": [], "rewards": [], "assessments": [],
            "extras": {}, "photo": None, "uncertain": [],
            "registry": {"phone": row["phone"], "post_level": row["post_level"],
                         "unit": row["unit"], "category": CATEGORY_NAMES.get(category, "")},
        }
    _read_children(sheets, records, codes, problems)
    return WorkbookReport(records=list(records.values()), units=units, problems=problems)


def _read_children(sheets, records, codes, problems):
    for code in ("A02", "A08", "A14", "A15", "A36"):
        if sheets[code] is None:
            continue
        s = _Sheet(code, sheets[code], codes, problems)
        years: set[tuple[str, int]] = set()
        for number, row in s.rows():
            key = idnumber.normalize(row.pop("id_number"))
            record = records.get(key)
            if record is None:
                s.bad(number, ID, _("No person with this ID number in sheet A01."))
                continue
            if code == "A02":
                if row["end"] and row["start"] and row["end"] < row["start"]:
                    s.bad(number, s.cols[2], _("The end is before the start."))
                record["resume"].append(row)
            elif code == "A08":
                mode = MODE_NAMES.get(row["mode"])
                if mode is None:
                    s.bad(number, s.cols[1], _("Write 全日制 or 在职."))
                    continue
                p = record["person"]
                p[f"{mode}_education"], p[f"{mode}_degree"] = row["education"], row["degree"]
                p[f"{mode}_school"] = row["school"]
            elif code == "A14":
                kind = REWARD_KINDS.get(row["kind"])
                if kind is None:
                    s.bad(number, s.cols[1], _("Write 奖励 or 惩处."))
                record["rewards"].append({**row, "kind": kind})
            elif code == "A15":
                if (key, row["year"]) in years:
                    s.bad(number, s.cols[1], _("This year appears twice for the person."))
                years.add((key, row["year"]))
                record["assessments"].append(row)
            else:
                record["family"].append({"kind": "family", **row})


# ---------------------------------------------------------------- writing


def _header_row(ws, code):
    cols = SHEETS[code][1]
    ws.append([c.header for c in cols])
    for i, col in enumerate(cols, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width


def template_workbook() -> io.BytesIO:
    """An empty workbook with every sheet, and drop-down lists of the code values."""
    codes = Codes.load()
    wb = Workbook()
    wb.remove(wb.active)
    lists = wb.create_sheet("代码")
    columns: dict[str, str] = {}
    choices = {t: [name for (table, name) in codes.by_name if table == t] for t in T.values}
    extra = {"category": list(CATEGORY_NAMES), "mode": list(MODE_NAMES),
             "reward_kind": ["奖励", "惩处"], "bool": ["是", "否"],
             "unit_kind": list(UNIT_KIND_NAMES)}
    for i, (key, names) in enumerate([*((t, choices[t]) for t in T.values if t != T.DIVISION),
                                      *extra.items()], start=1):
        letter = get_column_letter(i)
        lists.cell(row=1, column=i, value=key)
        for r, name in enumerate(names, start=2):
            lists.cell(row=r, column=i, value=name)
        columns[key] = f"{quote_sheetname(lists.title)}!${letter}$2:${letter}${len(names) + 1}"
    lists.sheet_state = "hidden"
    for code in SHEETS:
        ws = wb.create_sheet(sheet_title(code), index=len(wb.worksheets) - 1)
        _header_row(ws, code)
        ws.freeze_panes = "A2"
        for i, col in enumerate(SHEETS[code][1], start=1):
            key = col.table or {("A01", "category"): "category", ("A08", "mode"): "mode",
                                ("A14", "kind"): "reward_kind", ("B01", "kind"): "unit_kind"
                                }.get((code, col.key)) or ("bool" if col.kind == "bool" else None)
            if key is None:
                continue
            dv = DataValidation(type="list", formula1=f"={columns[key]}", allow_blank=True,
                                showErrorMessage=True, error=_("Choose a value from the list."))
            letter = get_column_letter(i)
            dv.add(f"{letter}2:{letter}5000")
            ws.add_data_validation(dv)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def _append(ws, values) -> None:
    """One row, text-safe as in every export (core.xlsx): a name or post such as
    ``=HYPERLINK(...)`` stays text, and control characters an xlsx cannot hold are dropped."""
    ws.append([_cell(ws, value) for value in values])


class WorkbookWriter:
    """Writes people into the workbook's sheets; the caller reads them (interop.exports)."""

    def __init__(self, codes: Codes):
        self.codes = codes
        self.book = Workbook(write_only=True)
        self.sheets = {}
        for code in SHEETS:
            ws = self.book.create_sheet(sheet_title(code))
            ws.append([c.header for c in SHEETS[code][1]])
            self.sheets[code] = ws
        self.category_names = {v: k for k, v in CATEGORY_NAMES.items()}

    def person(self, person, record: dict, *, full: bool) -> None:
        """One person's rows; ``full`` is False when ID and phone must be masked."""
        key = record["person"]["id_number"]
        shown = key if full else mask_id_number(key)
        _write_person(self.sheets, self.codes, person, record, shown, full,
                      self.category_names)

    def unit(self, unit, parent_code: str) -> None:
        _append(self.sheets["B01"], [unit.code, unit.name, parent_code, unit.get_kind_display()])

    def save(self):
        tmp = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
        self.book.save(tmp)
        tmp.seek(0)
        return tmp


def _write_person(sheets, codes, person, record, shown_id, full, category_names):
    p = record["person"]

    def name(table, code):
        return codes.name(table, code)

    _append(sheets["A01"], [
        p["name"], name(T.SEX, p["sex"]), p["birth_date"], name(T.ETHNICITY, p["ethnicity"]),
        p["native_place"], p["birthplace"], name(T.POLITICAL_STATUS, p["political_status"]),
        p["party_join_date"] or "", p["work_start_date"] or "", name(T.HEALTH, p["health"]),
        p["professional_title"], shown_id, person.phone if full else mask_phone(person.phone),
        p["current_post"], codes.name(T.POST_LEVEL, person.post_level.code)
        if person.post_level_id else "", person.unit.code, category_names.get(person.category, ""),
    ])
    for r in record["resume"]:
        _append(sheets["A02"], [shown_id, r["start"], r["end"] or "", r["text"]])
    for mode, label in (("ft", "全日制"), ("is", "在职")):
        if p[f"{mode}_education"] or p[f"{mode}_degree"] or p[f"{mode}_school"]:
            _append(sheets["A08"], [shown_id, label, name(T.EDUCATION, p[f"{mode}_education"]),
                                  name(T.DEGREE, p[f"{mode}_degree"]), p[f"{mode}_school"]])
    for r in record["rewards"]:
        _append(sheets["A14"], [shown_id, "奖励" if r["kind"] == "reward" else "惩处", r["date"],
                              r["title"], r["issuer"], r["reason"]])
    for a in record["assessments"]:
        _append(sheets["A15"], [shown_id, a["year"], name(T.ASSESSMENT_RESULT, a["result"])])
    for m in record["family"]:
        _append(sheets["A36"], [shown_id, name(T.FAMILY_RELATION, m["relation"]), m["name"],
                              m["birth_date"] or "", name(T.POLITICAL_STATUS,
                                                          m["political_status"]),
                              m["work_unit_and_post"], "是" if m["is_deceased"] else "否"])
