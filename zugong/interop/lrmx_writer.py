"""Writing LRMX files (干部任免审批表) from the plain records ``lrmx.py`` reads: bytes out,
no database (code names come from ``Codes``). Split from ``lrmx.py``, which re-exports
``build_lrmx`` and ``record_values``."""

from __future__ import annotations

import datetime as dt
from xml.etree.ElementTree import Element, SubElement, tostring  # noqa: S405  # nosec B405

from zugong.core.models import DictTable

from .lrmx import (
    CPC,
    CPC_PROBATION,
    EXTRA_ELEMENTS,
    ITEM_LABELS,
    LABELS,
    LRMX_VERSION,
    PARTY_KEYWORDS,
    UNPARSED,
    Codes,
    _deceased_marker,
    dotted,
    month_text,
)


def _resume_text(entries: list[dict]) -> str:
    lines = []
    for e in entries:
        start = dt.date.fromisoformat(e["start"])
        end = dt.date.fromisoformat(e["end"]) if e.get("end") else None
        first, *more = e["text"].split("\n")
        # The editor's own layout: a fixed-width date column, then the text.
        lines.append(f"{dotted(start)}--{dotted(end) or ' ' * 7}  {first}")
        lines.extend(f"{' ' * 18}{line}" for line in more)
    return "\n".join(lines)


def _rewards_text(records: list[dict]) -> str:
    lines = []
    for rec in sorted(records, key=lambda x: (x["date"], x["title"])):
        line = f"{dotted(dt.date.fromisoformat(rec['date']))} {rec['title']}"
        if rec.get("issuer"):
            line += f"（{rec['issuer']}）"
        if rec.get("reason"):
            line += f"：{rec['reason']}"
        lines.append(line + "；")
    return "\n".join(lines)


def _assessments_text(records: list[dict], codes: Codes) -> str:
    parts = [f"{a['year']}年度考核{codes.name(DictTable.ASSESSMENT_RESULT, a['result'])}"
             for a in sorted(records, key=lambda x: x["year"])]
    return "；".join(parts) + ("。" if parts else "")


def _party_text(person: dict) -> str:
    status = person.get("political_status")
    joined = person.get("party_join_date")
    if status == CPC_PROBATION and joined:
        return f"{month_text(dt.date.fromisoformat(joined))}（预备党员）"
    if status == CPC and joined:
        return month_text(dt.date.fromisoformat(joined))
    for keyword, code in PARTY_KEYWORDS:
        if code == status:
            return "无党派人士" if code == "12" else keyword
    return month_text(dt.date.fromisoformat(joined)) if joined else ""


def record_values(record: dict, codes: Codes) -> tuple[dict, list[dict]]:
    """A record → the form's element texts and family rows (for LRMX, .lrm and the PDF)."""
    p = record["person"]
    extras = record.get("extras") or {}

    def date_of(key):
        return dt.date.fromisoformat(p[key]) if p.get(key) else None

    def with_unparsed(element, text):
        rest = extras.get(UNPARSED[element], "")
        return "\n".join(x for x in (text, rest) if x)

    v = {
        "XingMing": p["name"],
        "XingBie": codes.name(DictTable.SEX, p.get("sex")),
        "ChuShengNianYue": month_text(date_of("birth_date")),
        "MinZu": codes.name(DictTable.ETHNICITY, p.get("ethnicity")),
        "JiGuan": p.get("native_place", ""),
        "ChuShengDi": p.get("birthplace", ""),
        "RuDangShiJian": _party_text(p),
        "CanJiaGongZuoShiJian": month_text(date_of("work_start_date")),
        "JianKangZhuangKuang": codes.name(DictTable.HEALTH, p.get("health")),
        "ZhuanYeJiShuZhiWu": p.get("professional_title", ""),
        "XianRenZhiWu": extras.get("XianRenZhiWu") or p.get("current_post", ""),
        "JianLi": with_unparsed("JianLi", _resume_text(record.get("resume", []))),
        "JiangChengQingKuang": with_unparsed("JiangChengQingKuang",
                                             _rewards_text(record.get("rewards", []))),
        "NianDuKaoHeJieGuo": with_unparsed(
            "NianDuKaoHeJieGuo", _assessments_text(record.get("assessments", []), codes)),
        "ShenFenZheng": p.get("id_number", ""),
        "ZhaoPian": record.get("photo") or "",
        "Version": LRMX_VERSION,
    }
    for prefix, key in (("QuanRiZhiJiaoYu", "ft"), ("ZaiZhiJiaoYu", "is")):
        school_key = f"{prefix}_XueLi_BiYeYuanXiaoXi"
        school = extras.get(school_key) or p.get(f"{key}_school", "")
        v[f"{prefix}_XueLi"] = codes.name(DictTable.EDUCATION, p.get(f"{key}_education"))
        v[f"{prefix}_XueWei"] = codes.name(DictTable.DEGREE, p.get(f"{key}_degree"))
        v[school_key] = school
        v[f"{prefix}_XueWei_BiYeYuanXiaoXi"] = (
            extras.get(f"{prefix}_XueWei_BiYeYuanXiaoXi") or (school if v[f"{prefix}_XueWei"]
                                                              else ""))
    for element in EXTRA_ELEMENTS:
        if element not in v or extras.get(element):
            v[element] = extras.get(element, "")
    family = []
    for m in record.get("family", []):
        work = m.get("work_unit_and_post", "")
        if m.get("is_deceased") and not _deceased_marker(work):
            work = f"{work}（已故）" if work else "已故"
        family.append({
            "ChengWei": codes.name(DictTable.FAMILY_RELATION, m.get("relation")),
            "XingMing": m["name"],
            "ChuShengRiQi": month_text(dt.date.fromisoformat(m["birth_date"]))
            if m.get("birth_date") else "",
            "ZhengZhiMianMao": codes.name(DictTable.POLITICAL_STATUS, m.get("political_status")),
            "GongZuoDanWeiJiZhiWu": work,
        })
    return v, family


def build_lrmx(record: dict, codes: Codes | None = None) -> bytes:
    """A record → an LRMX document (UTF-8, no BOM), elements in the editor's order."""
    codes = codes or Codes.load()
    values, family = record_values(record, codes)
    root = Element("Person")
    for element in LABELS:
        if element == "JiaTingChengYuan":
            group = SubElement(root, "JiaTingChengYuan")
            for member in family:
                item = SubElement(group, "Item")
                for key in ITEM_LABELS:
                    SubElement(item, key).text = member[key]
            continue
        if element in ("GaiGeQianRenZhiNianLingJieXian", "DaoLingNianYue") and \
                not values.get(element):
            continue  # 2025 additions: written only when there is something to say
        SubElement(root, element).text = values.get(element, "")
    body = tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode("utf-8")
