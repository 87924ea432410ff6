"""The printed 干部任免审批表: PDF (WeasyPrint, Noto CJK) and Word (python-docx).

Both are filled from the same record as the LRMX export, so the printed form and the
file always agree; the age is computed at the date the user chooses. The form's labels
are fixed in Chinese by the standard form, so they are printed as they are rather than
translated like the interface.
"""

from __future__ import annotations

import base64
import datetime as dt
import io

from django.template.loader import render_to_string

from .lrmx import Codes
from .lrmx_writer import record_values


def age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _dotted(yyyymm: str) -> str:
    return f"{yyyymm[:4]}.{yyyymm[4:6]}" if len(yyyymm) >= 6 and yyyymm[:6].isdigit() else \
        yyyymm


def form_context(record: dict, *, day: dt.date, codes: Codes | None = None) -> dict:
    codes = codes or Codes.load()
    v, family = record_values(record, codes)
    born = dt.date.fromisoformat(record["person"]["birth_date"])
    for member in family:
        birth = member["ChuShengRiQi"]
        member["age"] = ""
        if len(birth) == 6 and not _deceased(member):
            member["age"] = str(age_on(dt.date(int(birth[:4]), int(birth[4:6]), 1), day))
    party = v["RuDangShiJian"]
    return {
        "v": v, "family": family,
        "birth": f"{_dotted(v['ChuShengNianYue'])}（{age_on(born, day)}岁）",
        "party": _dotted(party) if party[:6].isdigit() else party,
        "work": _dotted(v["CanJiaGongZuoShiJian"]),
        "resume_lines": v["JianLi"].split("\n") if v["JianLi"] else [],
        "photo": record.get("photo"),
        "day": day,
    }


def _deceased(member: dict) -> bool:
    return "故" in member["GongZuoDanWeiJiZhiWu"] or "去世" in member["GongZuoDanWeiJiZhiWu"]


def form_pdf(record: dict, *, day: dt.date) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string("interop/form_print.html", form_context(record, day=day))
    # The photo is embedded as a data: URL; nothing else may be fetched while rendering
    # (no file:// reads, no network from an intranet server).
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, url_fetcher=fetcher).write_pdf()


def form_docx(record: dict, *, day: dt.date) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    ctx = form_context(record, day=day)
    v = ctx["v"]
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "SimSun"
    style.font.size = Pt(10.5)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("干部任免审批表")
    run.bold = True
    run.font.size = Pt(18)

    table = doc.add_table(rows=0, cols=7)
    table.style = "Table Grid"

    def row(*cells):
        r = table.add_row().cells
        for i, text in enumerate(cells):
            r[i].text = text
        return r

    first = row("姓名", v["XingMing"], "性别", v["XingBie"], "出生年月\n（岁）", ctx["birth"], "")
    row("民族", v["MinZu"], "籍贯", v["JiGuan"], "出生地", v["ChuShengDi"], "")
    row("入党时间", ctx["party"], "参加工作时间", ctx["work"], "健康状况",
        v["JianKangZhuangKuang"], "")
    photo_cell = first[6].merge(table.rows[2].cells[6])
    if ctx["photo"]:
        photo_cell.paragraphs[0].add_run().add_picture(
            io.BytesIO(base64.b64decode(ctx["photo"])), width=Cm(2.5))
    else:
        photo_cell.text = "照片"
    r = row("专业技术职务", v["ZhuanYeJiShuZhiWu"], "熟悉专业有何专长",
            v["ShuXiZhuanYeYouHeZhuanChang"], "", "", "")
    r[3].merge(r[6])
    for label, prefix in (("全日制教育", "QuanRiZhiJiaoYu"), ("在职教育", "ZaiZhiJiaoYu")):
        r = row(f"学历学位\n{label}", f"{v[prefix + '_XueLi']}\n{v[prefix + '_XueWei']}",
                "毕业院校系及专业", v[prefix + "_XueLi_BiYeYuanXiaoXi"], "", "", "")
        r[3].merge(r[6])
    for label, key in (("现任职务", "XianRenZhiWu"), ("拟任职务", "NiRenZhiWu"),
                       ("拟免职务", "NiMianZhiWu"), ("简历", "JianLi"),
                       ("奖惩情况", "JiangChengQingKuang"), ("年度考核结果", "NianDuKaoHeJieGuo"),
                       ("任免理由", "RenMianLiYou")):
        r = row(label, v[key], "", "", "", "", "")
        r[1].merge(r[6])
    doc.add_paragraph("家庭主要成员及重要社会关系")
    fam = doc.add_table(rows=1, cols=5)
    fam.style = "Table Grid"
    for i, head in enumerate(("称谓", "姓名", "年龄", "政治面貌", "工作单位及职务")):
        fam.rows[0].cells[i].text = head
    for m in ctx["family"]:
        cells = fam.add_row().cells
        for i, key in enumerate(("ChengWei", "XingMing", "age", "ZhengZhiMianMao",
                                 "GongZuoDanWeiJiZhiWu")):
            cells[i].text = m[key]
    doc.add_paragraph(f"呈报单位：{v['ChengBaoDanWei']}")
    doc.add_paragraph(f"计算年龄时间：{ctx['day']:%Y.%m.%d}　填表人：{v['TianBiaoRen']}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
