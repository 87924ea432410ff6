"""Reading and writing LRMX files (干部任免审批表) as plain structured records.

A *record* is a JSON-ready dict (it is kept in an import batch between preview and
confirmation): ``person`` holds Person fields with code values as codes, ``resume``,
``family``, ``rewards`` and ``assessments`` the sub-records, ``extras`` the form's fields
that the registry has no column for (拟任职务, 任免理由 …, and any text that could not be
parsed, so that an export gives it back), ``photo`` the Base64 JPEG and ``uncertain`` what
the reader was not sure about. Nothing here touches the database except the code-table
lookups in ``Codes``. Files from users are parsed with defusedxml only (no entities, no
DTD). Writing is in ``lrmx_writer.py``.
"""

from __future__ import annotations

import base64
import binascii
import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zugong.core.dictionaries import cached_items
from zugong.core.models import DictTable
from zugong.people import idnumber

LRMX_VERSION = "3.2.1.16"

# Every element of the form, in the editor's order, with the label users know it by.
LABELS = {
    "XingMing": gettext_lazy("full name"),
    "XingBie": gettext_lazy("sex"),
    "ChuShengNianYue": gettext_lazy("birth month"),
    "MinZu": gettext_lazy("ethnicity"),
    "JiGuan": gettext_lazy("native place"),
    "ChuShengDi": gettext_lazy("birthplace"),
    "RuDangShiJian": gettext_lazy("Party-joining date"),
    "CanJiaGongZuoShiJian": gettext_lazy("work-start date"),
    "JianKangZhuangKuang": gettext_lazy("health"),
    "ZhuanYeJiShuZhiWu": gettext_lazy("professional title"),
    "ShuXiZhuanYeYouHeZhuanChang": gettext_lazy("specialities"),
    "QuanRiZhiJiaoYu_XueLi": gettext_lazy("full-time education"),
    "QuanRiZhiJiaoYu_XueWei": gettext_lazy("full-time degree"),
    "QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi": gettext_lazy("school of the full-time education"),
    "QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi": gettext_lazy("school of the full-time degree"),
    "ZaiZhiJiaoYu_XueLi": gettext_lazy("in-service education"),
    "ZaiZhiJiaoYu_XueWei": gettext_lazy("in-service degree"),
    "ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi": gettext_lazy("school of the in-service education"),
    "ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi": gettext_lazy("school of the in-service degree"),
    "XianRenZhiWu": gettext_lazy("current post"),
    "NiRenZhiWu": gettext_lazy("proposed post"),
    "NiMianZhiWu": gettext_lazy("post to be removed from"),
    "JianLi": gettext_lazy("résumé"),
    "JiangChengQingKuang": gettext_lazy("rewards and punishments"),
    "NianDuKaoHeJieGuo": gettext_lazy("annual assessment results"),
    "RenMianLiYou": gettext_lazy("reasons for the appointment or removal"),
    "JiaTingChengYuan": gettext_lazy("family members"),
    "ChengBaoDanWei": gettext_lazy("submitting unit"),
    "JiSuanNianLingShiJian": gettext_lazy("date the age is computed at"),
    "TianBiaoShiJian": gettext_lazy("date filled in"),
    "TianBiaoRen": gettext_lazy("filled in by"),
    "ShenFenZheng": gettext_lazy("ID number"),
    "ZhaoPian": gettext_lazy("photo"),
    "Version": gettext_lazy("format version"),
    "GaiGeQianRenZhiNianLingJieXian": gettext_lazy("age limit of the post before the reform"),
    "DaoLingNianYue": gettext_lazy("month the age limit is reached"),
}
ITEM_LABELS = {
    "ChengWei": gettext_lazy("relation"),
    "XingMing": gettext_lazy("full name"),
    "ChuShengRiQi": gettext_lazy("birth month"),
    "ZhengZhiMianMao": gettext_lazy("political status"),
    "GongZuoDanWeiJiZhiWu": gettext_lazy("work unit and post"),
}
# Form fields the registry has no column for: kept as text beside the person.
EXTRA_ELEMENTS = (
    "ShuXiZhuanYeYouHeZhuanChang", "QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi",
    "ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi", "NiRenZhiWu", "NiMianZhiWu", "RenMianLiYou",
    "ChengBaoDanWei", "JiSuanNianLingShiJian", "TianBiaoShiJian", "TianBiaoRen",
    "GaiGeQianRenZhiNianLingJieXian", "DaoLingNianYue",
)
# Text the reader could not turn into records is kept under these keys and written back.
UNPARSED = {"JianLi": "JianLi_unparsed", "JiangChengQingKuang": "JiangChengQingKuang_unparsed",
            "NianDuKaoHeJieGuo": "NianDuKaoHeJieGuo_unparsed"}

# RuDangShiJian holds a democratic party's name for its members; keyword → GB/T 4762 code.
PARTY_KEYWORDS = (
    ("民革", "04"), ("国民党革命委员会", "04"), ("民盟", "05"), ("民主同盟", "05"),
    ("民建", "06"), ("民主建国会", "06"), ("民进", "07"), ("民主促进会", "07"),
    ("农工", "08"), ("致公", "09"), ("九三", "10"), ("台盟", "11"), ("台湾民主自治同盟", "11"),
    ("无党派", "12"),
)
CPC = "01"
CPC_PROBATION = "02"

# Short forms of education that the editor's drop-down offers, → GB/T 4658 code.
EDUCATION_ALIASES = {
    "研究生": "14", "硕士研究生": "14", "博士研究生": "11", "博士": "11", "硕士": "14",
    "大学": "21", "大学本科": "21", "本科": "21", "大专": "31", "大学专科": "31", "专科": "31",
    "中专": "41", "中等专科": "41", "高中": "61", "初中": "71", "小学": "81",
}
DECEASED_MARKERS = ("已故", "已去世", "去世", "病故", "已逝")
PUNISHMENT_WORDS = ("处分", "警告", "记过", "降级", "撤职", "开除", "诫勉", "通报批评")
RESULT_ALIASES = {"不定等次": "不确定等次"}


class LrmxError(Exception):
    """A file that cannot be read; ``problems`` lists (field, message) pairs."""

    def __init__(self, source: str, problems: list[tuple[str, str]]):
        self.source = source
        self.problems = problems
        super().__init__("; ".join(self.messages()))

    def messages(self) -> list[str]:
        return [_("%(file)s: %(field)s: %(message)s") % {
            "file": self.source, "field": field_label(f), "message": m}
            for f, m in self.problems]


def field_label(element: str) -> str:
    """“出生年月（ChuShengNianYue）”: the label users know, and the element for tools."""
    if not element:
        return _("the whole file")
    base = element.split("/")[0].split("[")[0]
    leaf = element.rsplit("/", 1)[-1]
    label = LABELS.get(base) if "/" not in element else ITEM_LABELS.get(leaf, leaf)
    return f"{label or base}（{element}）"


@dataclass
class Codes:
    """Name ↔ code lookups of the code tables, read once for a whole batch."""

    by_name: dict = field(default_factory=dict)
    by_code: dict = field(default_factory=dict)

    @classmethod
    def load(cls) -> Codes:
        codes = cls()
        for item in cached_items().values():
            if not item.is_active:
                continue
            codes.by_name.setdefault((item.table, item.name), item.code)
            codes.by_code[(item.table, item.code)] = item.name
        return codes

    def code(self, table: str, name: str) -> str | None:
        return self.by_name.get((table, name))

    def name(self, table: str, code: str | None) -> str:
        return self.by_code.get((table, code), "") if code else ""


# ---------------------------------------------------------------- dates

_DATE_RE = re.compile(
    r"^(\d{4})(?:[.．\-/年]?(\d{1,2})(?:[.．\-/月]?(\d{1,2})日?)?月?)?$"
)


class BadDate(ValueError):
    pass


def parse_date(text: str) -> tuple[dt.date, str] | None:
    """"198503", "19850314", "1985.03", "1985.3", "1985-03-14", "1985年3月" → (date, precision).

    Returns None for empty text; raises BadDate for a date-like text that is not a date
    (202313) and for text that is not a date at all.
    """
    text = re.sub(r"\s+", "", text or "")
    if not text:
        return None
    m = _DATE_RE.match(text)
    if not m:
        raise BadDate(text)
    year, month, day = m.group(1), m.group(2), m.group(3)
    digits_only = text.isdigit()
    if digits_only and len(text) == 6:
        year, month, day = text[:4], text[4:6], None
    elif digits_only and len(text) == 8:
        year, month, day = text[:4], text[4:6], text[6:8]
    elif digits_only and len(text) != 4:
        raise BadDate(text)
    y = int(year)
    if not 1900 <= y <= 2100:
        raise BadDate(text)
    if month is None:
        return dt.date(y, 1, 1), "year"
    mo = int(month)
    if not 1 <= mo <= 12:
        raise BadDate(text)
    if day is None:
        return dt.date(y, mo, 1), "month"
    d = int(day)
    if not 1 <= d <= calendar.monthrange(y, mo)[1]:
        raise BadDate(text)
    return dt.date(y, mo, d), "day"


def month_text(day: dt.date | None) -> str:
    return f"{day:%Y%m}" if day else ""


def dotted(day: dt.date | None) -> str:
    return f"{day:%Y.%m}" if day else ""


# ---------------------------------------------------------------- reading

def _clean(text: str | None) -> str:
    """Whitespace-only elements are empty; surrounding whitespace is noise."""
    return (text or "").strip()


def _clean_name(text: str | None) -> str:
    # The editor pads two-character names to the width of three ("张  三").
    return re.sub(r"[\s\u3000]+", "", text or "")


class _Reader:
    def __init__(self, source: str, codes: Codes):
        self.source = source
        self.codes = codes
        self.errors: list[tuple[str, str]] = []
        self.uncertain: list[dict] = []

    def error(self, element: str, message: str) -> None:
        self.errors.append((element, message))

    def unsure(self, element: str, text: str, reason: str) -> None:
        self.uncertain.append({"field": element, "label": field_label(element),
                               "text": text, "reason": reason})

    def date(self, element: str, text: str, *, required: bool = False) -> tuple | None:
        try:
            found = parse_date(text)
        except BadDate:
            self.error(element, _("“%(value)s” is not a valid date (use YYYYMM, for example "
                                  "198503).") % {"value": text.strip()})
            return None
        if found is None and required:
            self.error(element, _("This field is required."))
        return found

    def code(self, element: str, table: str, text: str, aliases=None) -> str | None:
        text = re.sub(r"\s+", "", text or "")
        if not text:
            return None
        code = self.codes.code(table, text) or (aliases or {}).get(text)
        if code is None:
            self.unsure(element, text, _("Not a value of the code table; kept as text."))
        return code


def _strip_bom(data: bytes) -> bytes:
    return data[3:] if data.startswith(b"\xef\xbb\xbf") else data


def parse_lrmx(data: bytes, source: str, codes: Codes | None = None) -> dict:
    """One .lrmx file → a record; raises LrmxError naming the file and every bad field."""
    codes = codes or Codes.load()
    try:
        root = SafeET.fromstring(_strip_bom(data))
    except DefusedXmlException as exc:
        raise LrmxError(source, [("", _("The file contains forbidden XML constructs "
                                        "(entities or a DTD)."))]) from exc
    except SafeET.ParseError as exc:
        line = getattr(exc, "position", (0, 0))[0]
        raise LrmxError(source, [("", _("The file is not complete, well-formed XML (the "
                                        "error is near line %(line)s); it may have been "
                                        "cut off.") % {"line": line})]) from exc
    if root.tag != "Person":
        raise LrmxError(source, [("", _("The root element is “%(tag)s”, but an LRMX file "
                                        "starts with “Person”.") % {"tag": root.tag})])
    values = {child.tag: child.text or "" for child in root}
    family_items = []
    family_el = root.find("JiaTingChengYuan")
    if family_el is not None:
        family_items = [{sub.tag: sub.text or "" for sub in item}
                        for item in family_el.findall("Item")]
    return read_values(values, family_items, source, codes)


def read_values(values: dict, family_items: list[dict], source: str, codes: Codes) -> dict:
    """The element texts of one form (from LRMX or the legacy .lrm) → a record."""
    r = _Reader(source, codes)
    v = {k: values.get(k, "") for k in LABELS}
    person: dict = {}

    person["name"] = _clean_name(v["XingMing"])
    if not person["name"]:
        r.error("XingMing", _("This field is required."))
    sex_text = _clean_name(v["XingBie"])
    person["sex"] = codes.code(DictTable.SEX, sex_text) or {"男": "1", "女": "2"}.get(sex_text)
    if not person["sex"]:
        r.error("XingBie", _("The sex must be 男 or 女."))

    id_number = idnumber.normalize(re.sub(r"\s+", "", v["ShenFenZheng"]))
    if id_number:
        found = idnumber.problems(id_number, birth_date=None, sex_code=None)
        if found:
            r.error("ShenFenZheng", " ".join(found))
    person["id_number"] = id_number

    birth = r.date("ChuShengNianYue", v["ChuShengNianYue"], required=True)
    if birth:
        born, precision = birth
        from_id = idnumber.birth_date_of(id_number) if id_number and not r.errors else None
        if from_id and (from_id.year, from_id.month) == (born.year, born.month):
            born, precision = from_id, "day"
        elif from_id:
            r.error("ChuShengNianYue", _("The birth month differs from the birth date in the "
                                         "ID number (%(id)s).") % {"id": from_id.isoformat()})
        person["birth_date"] = born.isoformat()
        if precision == "year":
            r.unsure("ChuShengNianYue", v["ChuShengNianYue"].strip(),
                     _("Only the year is given; January is assumed."))
    if id_number and person["sex"] and not r.errors and \
            idnumber.sex_code_of(id_number) != person["sex"]:
        r.error("XingBie", _("The sex differs from the sex in the ID number."))

    person["ethnicity"] = r.code("MinZu", DictTable.ETHNICITY, v["MinZu"])
    person["native_place"] = _clean(v["JiGuan"])
    person["birthplace"] = _clean(v["ChuShengDi"])
    _read_party(r, v["RuDangShiJian"], person)
    work = r.date("CanJiaGongZuoShiJian", v["CanJiaGongZuoShiJian"])
    person["work_start_date"] = work[0].isoformat() if work else None
    person["health"] = r.code("JianKangZhuangKuang", DictTable.HEALTH, v["JianKangZhuangKuang"])
    person["professional_title"] = _clean(v["ZhuanYeJiShuZhiWu"])
    for prefix, key in (("QuanRiZhiJiaoYu", "ft"), ("ZaiZhiJiaoYu", "is")):
        person[f"{key}_education"] = r.code(f"{prefix}_XueLi", DictTable.EDUCATION,
                                            v[f"{prefix}_XueLi"], EDUCATION_ALIASES)
        person[f"{key}_degree"] = r.code(f"{prefix}_XueWei", DictTable.DEGREE,
                                         v[f"{prefix}_XueWei"])
        person[f"{key}_school"] = _clean(v[f"{prefix}_XueLi_BiYeYuanXiaoXi"])[:100]
    person["current_post"] = _clean(v["XianRenZhiWu"])[:100]

    extras = {k: _clean(v[k]) for k in EXTRA_ELEMENTS if _clean(v[k])}
    for prefix in ("QuanRiZhiJiaoYu", "ZaiZhiJiaoYu"):
        # A degree school equal to the education's school says nothing new.
        key = f"{prefix}_XueWei_BiYeYuanXiaoXi"
        if extras.get(key) == _clean(v[f"{prefix}_XueLi_BiYeYuanXiaoXi"]):
            extras.pop(key)
    for element in ("JiSuanNianLingShiJian", "TianBiaoShiJian", "DaoLingNianYue"):
        if extras.get(element):
            r.date(element, extras[element])
    for element in ("XianRenZhiWu", "QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi",
                    "ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi"):
        if len(_clean(v[element])) > 100:
            extras[element] = _clean(v[element])
            r.unsure(element, _clean(v[element]), _("Longer than 100 characters; the registry "
                                                    "keeps the first 100, the form the rest."))

    resume, unparsed = _read_resume(r, v["JianLi"])
    if unparsed:
        extras[UNPARSED["JianLi"]] = unparsed
    rewards, unparsed = _read_rewards(r, v["JiangChengQingKuang"])
    if unparsed:
        extras[UNPARSED["JiangChengQingKuang"]] = unparsed
    assessments, unparsed = _read_assessments(r, v["NianDuKaoHeJieGuo"])
    if unparsed:
        extras[UNPARSED["NianDuKaoHeJieGuo"]] = unparsed
    family = _read_family(r, family_items)

    photo = None
    raw_photo = re.sub(r"\s+", "", v["ZhaoPian"])
    if raw_photo:
        try:
            data = base64.b64decode(raw_photo, validate=True)
        except (binascii.Error, ValueError):
            r.error("ZhaoPian", _("The photo is not valid Base64 data."))
        else:
            if data[:3] == b"\xff\xd8\xff" or data[:8] == b"\x89PNG\r\n\x1a\n":
                photo = base64.b64encode(data).decode("ascii")
            else:
                r.error("ZhaoPian", _("The photo is not a JPEG or PNG image."))
    if r.errors:
        raise LrmxError(source, r.errors)
    return {"source": source, "person": person, "resume": resume, "family": family,
            "rewards": rewards, "assessments": assessments, "extras": extras,
            "photo": photo, "uncertain": r.uncertain,
            "version": _clean(v["Version"])}


def _read_party(r: _Reader, text: str, person: dict) -> None:
    text = text.strip()
    person["party_join_date"] = None
    person["political_status"] = None
    if not text:
        return
    compact = re.sub(r"\s+", "", text)
    for keyword, code in PARTY_KEYWORDS:
        if keyword in compact:
            person["political_status"] = code
            # "1998.06；民盟": a CPC date and a democratic party membership together.
            date_part = re.sub(r"[；;，,、].*$", "", compact)
            if date_part and date_part[0].isdigit():
                found = r.date("RuDangShiJian", date_part)
                if found:
                    person["party_join_date"] = found[0].isoformat()
                    r.unsure("RuDangShiJian", text, _("Both a Party-joining date and a "
                                                      "democratic party; the party is kept."))
            return
    probation = "预备" in compact
    compact = re.sub(r"[（(]?预备(?:党员)?[)）]?", "", compact)
    found = r.date("RuDangShiJian", compact)
    if found:
        person["party_join_date"] = found[0].isoformat()
        person["political_status"] = CPC_PROBATION if probation else CPC


_DASH = r"(?:-{1,3}|—{1,2}|－{1,2}|–{1,2}|―{1,2}|─{1,2}|~|～|〜|至)"
_YM = r"(\d{4})\s*[.．年]\s*(\d{1,2})\s*月?"
_RESUME_LINE = re.compile(rf"^{_YM}\s*{_DASH}\s*(?:{_YM}|至今|今)?\s*(.*)$")
_RESUME_ONE = re.compile(rf"^{_YM}\s+(\S.*)$")


def _month_date(r: _Reader, element: str, year: str, month: str) -> dt.date | None:
    found = r.date(element, f"{year}.{int(month):02d}")
    return found[0] if found else None


def _read_resume(r: _Reader, text: str) -> tuple[list[dict], str]:
    """Lines "1990.09--1994.07  湖南师范大学中文系学习" (any dash, end optional), wrapped
    lines joined to their entry, "（其间：…）" lines kept as the entry's own lines."""
    entries: list[dict] = []
    unparsed: list[str] = []
    for number, raw in enumerate((text or "").replace("\r\n", "\n").replace("\r", "\n")
                                 .split("\n"), start=1):
        line = raw.strip().replace("\u3000", " ")
        if not line:
            continue
        element = f"JianLi[{number}]"
        m = _RESUME_LINE.match(line) or _RESUME_ONE.match(line)
        if m and m.re is _RESUME_LINE:
            start = _month_date(r, element, m.group(1), m.group(2))
            end = _month_date(r, element, m.group(3), m.group(4)) if m.group(3) else None
            body = m.group(5).strip()
        elif m:
            start, end, body = _month_date(r, element, m.group(1), m.group(2)), None, m.group(3)
            r.unsure(element, line, _("The line has no end date or dash; it is taken as "
                                      "lasting until now."))
        else:
            if entries and (line.startswith(("（其间", "(其间", "（期间", "(期间"))):
                entries[-1]["text"] += "\n" + line
            elif entries:
                # A wrapped line of the previous entry.
                entries[-1]["text"] += line
            else:
                unparsed.append(line)
                r.unsure(element, line, _("A résumé line without dates before the first "
                                          "dated line; kept as text."))
            continue
        if start is None:
            continue
        if end and end < start:
            r.error(element, _("The end (%(end)s) is before the start (%(start)s).")
                    % {"end": dotted(end), "start": dotted(start)})
            continue
        entries.append({"start": start.isoformat(), "end": end.isoformat() if end else None,
                        "text": re.sub(r"\s{2,}", " ", body)})
    for number, entry in enumerate(entries, start=1):
        if len(entry["text"]) > 300:
            r.error(f"JianLi[{number}]", _("A résumé entry is longer than 300 characters."))
    return entries, "\n".join(unparsed)


_SENTENCE_SPLIT = re.compile(r"[\n；;。]+")
_REWARD_DATES = (
    re.compile(r"^(\d{4})\s*[.．]\s*(\d{1,2})\s*[，,、]?\s*(.+)$"),
    re.compile(r"^(\d{4})\s*年\s*(?:(\d{1,2})\s*月)?\s*[，,、]?\s*(.+)$"),
)
_REWARD_PARTS = re.compile(r"^(.*?)(?:（([^（）]*)）)?(?:：(.+))?$")


def _read_rewards(r: _Reader, text: str) -> tuple[list[dict], str]:
    """Sentences "2019.01 被评为优秀共产党员（中共泸溪县委）：事由" → reward records."""
    records: list[dict] = []
    unparsed: list[str] = []
    for sentence in _SENTENCE_SPLIT.split(text or ""):
        sentence = sentence.strip()
        if not sentence or sentence in ("无", "无。", "暂无"):
            continue
        m = _REWARD_DATES[0].match(sentence) or _REWARD_DATES[1].match(sentence)
        if not m:
            unparsed.append(sentence)
            r.unsure("JiangChengQingKuang", sentence,
                     _("No date at the start of the entry; kept as text."))
            continue
        year, month, rest = m.groups()
        found = r.date("JiangChengQingKuang", f"{year}.{int(month):02d}" if month else year)
        if found is None:
            continue
        if not month:
            r.unsure("JiangChengQingKuang", sentence,
                     _("Only the year is given; January is assumed."))
        parts = _REWARD_PARTS.match(rest.strip())
        title, issuer, reason = parts.group(1).strip(), parts.group(2) or "", parts.group(3) or ""
        if not title or len(title) > 100 or len(issuer) > 100 or len(reason) > 300:
            unparsed.append(sentence)
            r.unsure("JiangChengQingKuang", sentence,
                     _("The entry does not fit a reward record; kept as text."))
            continue
        kind = "punishment" if any(w in title for w in PUNISHMENT_WORDS) else "reward"
        records.append({"kind": kind, "date": found[0].isoformat(), "title": title,
                        "issuer": issuer.strip(), "reason": reason.strip()})
    return records, "\n".join(unparsed)


_RESULTS = "优秀|基本称职|不称职|称职|不确定等次|不定等次"
_RANGE_DASH = r"(?:-{1,2}|—{1,2}|－{1,2}|–{1,2}|~|～|至|到)"
_COUNTS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
           "十": 10}
# One clause: a list of years ("2023年、2024年"), or a range ("2022年至2025年",
# "2021—2023", "连续三年（2022-2024）"), then the result. 年 may follow each year.
_ASSESS = re.compile(
    r"(?:连续\s*([两二三四五六七八九十\d]+)\s*年\s*)?[（(]?\s*"
    r"((?:\d{4}\s*年?\s*[、,，和及与]\s*)*\d{4})"
    rf"(?:\s*年?\s*{_RANGE_DASH}\s*(\d{{4}}))?\s*[）)]?\s*年?(?:度)?\s*"
    r"(?:年度)?\s*(?:考核)?\s*(?:结果)?\s*(?:均|都)?\s*(?:为|评为|被评为|被确定为|确定为)?\s*"
    rf"({_RESULTS})(?:等次)?"
)


def _read_assessments(r: _Reader, text: str) -> tuple[list[dict], str]:
    """"2021、2022年度考核均为称职，2023年度考核优秀" → one result per year.

    Every year keeps the field's text as written (``source_text``), so a reader can check
    the parsed years against it.
    """
    text = (text or "").strip()
    found: dict[int, str] = {}
    for m in _ASSESS.finditer(text):
        years = [int(y) for y in re.findall(r"\d{4}", m.group(2))]
        if m.group(3):
            years = years[:-1] + list(range(years[-1], int(m.group(3)) + 1))
        if m.group(1):
            word = m.group(1)
            count = int(word) if word.isdigit() else _COUNTS.get(word)
            if count != len(years):
                r.unsure("NianDuKaoHeJieGuo", m.group(0), _(
                    "The number of years does not match the years given; the years are "
                    "kept."))
        name = RESULT_ALIASES.get(m.group(4), m.group(4))
        code = r.codes.code(DictTable.ASSESSMENT_RESULT, name)
        for year in years:
            if code and found.get(year, code) != code:
                r.unsure("NianDuKaoHeJieGuo", text, _("The year %(year)s has two different "
                                                      "results; the last is kept.")
                         % {"year": year})
            if code:
                found[year] = code
    rest = re.sub(r"[\s，,；;。、.无]+", "", _ASSESS.sub("", text))
    unparsed = ""
    if rest:
        unparsed = text if not found else _ASSESS.sub("", text).strip(" ，,；;。\n")
        r.unsure("NianDuKaoHeJieGuo", text, _("Part of the text names no year and result; "
                                              "kept as text."))
    return [{"year": y, "result": c, "source_text": text}
            for y, c in sorted(found.items())], unparsed


def _deceased_marker(text: str) -> bool:
    return any(m in text for m in DECEASED_MARKERS)


def _read_family(r: _Reader, items: list[dict]) -> list[dict]:
    members = []
    for number, item in enumerate(items, start=1):
        values = {k: _clean(item.get(k)) for k in ITEM_LABELS}
        if not any(values.values()):
            continue  # the editor writes empty rows to fill its table
        element = f"JiaTingChengYuan/Item[{number}]"
        name = _clean_name(values["XingMing"])
        work = values["GongZuoDanWeiJiZhiWu"]
        deceased = _deceased_marker(work)
        name_marked = re.search(r"[（(](" + "|".join(DECEASED_MARKERS) + r")[)）]", name)
        if name_marked:
            name = name[: name_marked.start()] + name[name_marked.end():]
            deceased = True
            if not _deceased_marker(work):
                work = f"{work}（已故）" if work else "已故"
        relation_text = re.sub(r"\s+", "", values["ChengWei"])
        relation = r.codes.code(DictTable.FAMILY_RELATION, relation_text)
        if relation is None:
            r.error(f"{element}/ChengWei", _("“%(value)s” is not a relation of the code "
                                             "table (GB/T 4761).") % {"value": relation_text})
        if not name:
            r.error(f"{element}/XingMing", _("This field is required."))
        born = r.date(f"{element}/ChuShengRiQi", values["ChuShengRiQi"])
        status_text = re.sub(r"\s+", "", values["ZhengZhiMianMao"])
        status = None
        if status_text:
            status = r.codes.code(DictTable.POLITICAL_STATUS, status_text) or {
                "党员": CPC, "中共党员": CPC, "团员": "03", "共青团员": "03"}.get(status_text)
            if status is None:
                # "民盟盟员", "九三学社社员": a democratic party's member is coded by the
                # party (GB/T 4762 names the parties, not their members).
                status = next((code for keyword, code in PARTY_KEYWORDS
                               if keyword in status_text), None)
            if status is None:
                r.unsure(f"{element}/ZhengZhiMianMao", status_text,
                         _("Not a value of the code table; left empty."))
        members.append({"kind": "family", "relation": relation, "name": name,
                        "birth_date": born[0].isoformat() if born else None,
                        "political_status": status, "work_unit_and_post": work[:200],
                        "is_deceased": deceased})
    return members
