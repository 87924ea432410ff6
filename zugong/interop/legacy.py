"""The legacy appointment-form file (.lrm, version 2.0) and its photo (.pic).

A .lrm file is GBK text: 33 fields, each in double quotes, separated by ``","``. The family
table is one field: members separated by ``#``, a member's five columns by ``@``. The
photo is the JPEG in the sibling file of the same name with the extension .pic. The
fields follow the LRMX elements in the editor's order (``FIELDS``); the values are read by
the same code as LRMX, so every quirk handled there is handled here.
"""

from __future__ import annotations

import base64

from django.utils.translation import gettext as _

from .lrmx import ITEM_LABELS, Codes, LrmxError, read_values
from .lrmx_writer import record_values

FIELDS = (
    "XingMing", "XingBie", "ChuShengNianYue", "MinZu", "JiGuan", "ChuShengDi",
    "RuDangShiJian", "CanJiaGongZuoShiJian", "JianKangZhuangKuang", "ZhuanYeJiShuZhiWu",
    "ShuXiZhuanYeYouHeZhuanChang", "QuanRiZhiJiaoYu_XueLi", "QuanRiZhiJiaoYu_XueWei",
    "QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi", "QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi",
    "ZaiZhiJiaoYu_XueLi", "ZaiZhiJiaoYu_XueWei", "ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi",
    "ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi", "XianRenZhiWu", "NiRenZhiWu", "NiMianZhiWu",
    "JianLi", "JiangChengQingKuang", "NianDuKaoHeJieGuo", "RenMianLiYou", "JiaTingChengYuan",
    "ChengBaoDanWei", "JiSuanNianLingShiJian", "TianBiaoShiJian", "TianBiaoRen",
    "ShenFenZheng", "Version",
)
assert len(FIELDS) == 33
SEPARATOR = '","'
MEMBER_SEP = "#"
COLUMN_SEP = "@"


def _decode(data: bytes, source: str) -> str:
    for encoding in ("gb18030", "utf-8-sig"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise LrmxError(source, [("", _("The file is neither GBK nor UTF-8 text."))])


def split_fields(text: str, source: str) -> list[str]:
    text = text.strip().lstrip("\ufeff")
    if not (text.startswith('"') and text.endswith('"')) or len(text) < 2:
        raise LrmxError(source, [("", _("A .lrm file is a list of quoted fields separated by "
                                        "\",\"; this file is not."))])
    parts = text[1:-1].split(SEPARATOR)
    if len(parts) != len(FIELDS):
        raise LrmxError(source, [("", _("The file has %(found)s fields; a version 2.0 .lrm "
                                        "file has %(expected)s.") % {
                                            "found": len(parts), "expected": len(FIELDS)})])
    return parts


def parse_lrm(data: bytes, source: str, codes: Codes | None = None,
              photo: bytes | None = None) -> dict:
    codes = codes or Codes.load()
    values = dict(zip(FIELDS, split_fields(_decode(data, source), source), strict=True))
    family = []
    for member in values.pop("JiaTingChengYuan").split(MEMBER_SEP):
        if not member.strip():
            continue
        columns = member.split(COLUMN_SEP)
        columns += [""] * (len(ITEM_LABELS) - len(columns))
        family.append(dict(zip(ITEM_LABELS, columns[: len(ITEM_LABELS)], strict=True)))
    if photo:
        values["ZhaoPian"] = base64.b64encode(photo).decode("ascii")
    return read_values(values, family, source, codes)


def build_lrm(record: dict, codes: Codes | None = None) -> tuple[bytes, bytes | None]:
    """A record → (.lrm bytes in GBK, .pic bytes or None)."""
    codes = codes or Codes.load()
    values, family = record_values(record, codes)
    values["JiaTingChengYuan"] = MEMBER_SEP.join(
        COLUMN_SEP.join(m[k] for k in ITEM_LABELS) for m in family)
    text = '"' + SEPARATOR.join(values.get(k, "") for k in FIELDS) + '"'
    photo = base64.b64decode(record["photo"]) if record.get("photo") else None
    return text.encode("gb18030"), photo
