"""The printed 干部任免审批表: Chinese text and the photo really are in the PDF."""

import datetime as dt
import io
import re

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from docx import Document

from zugong.interop.printform import form_docx, form_pdf


def _pdf(record, day=dt.date(2026, 11, 22)):
    return pdfium.PdfDocument(form_pdf(record, day=day))


def test_the_pdf_form_renders_chinese_text_the_age_and_the_photo(parse):
    record = parse("basic.lrmx")
    pdf = _pdf(record)
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    for words in ("干部任免审批表", "向东", "1985.03（41岁）", "土家族", "湖南师范大学法学专业",
                  "泸溪县委组织部副部长", "2019.01 优秀共产党员", "2022年度考核优秀", "田静",
                  "工作需要", "中共泸溪县委组织部"):
        assert re.sub(r"\s", "", words) in re.sub(r"\s", "", text), words
    images = list(pdf[0].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))
    assert len(images) == 1
    # Rendered to pixels, the photo's area is not blank paper.
    bitmap = pdf[0].render(scale=1).to_pil().convert("L")
    assert images[0].get_px_size() == (60, 80)  # the JPEG of the LRMX file
    left, bottom, right, top = (int(c) for c in images[0].get_bounds())
    height = bitmap.height
    crop = bitmap.crop((left + 2, height - top + 2, right - 2, height - bottom - 2))
    assert crop.getextrema()[0] < 120  # the dark parts of the photo, not white paper
    pdf.close()


def test_the_age_is_computed_at_the_chosen_date(parse):
    pdf = _pdf(parse("basic.lrmx"), day=dt.date(2020, 3, 13))
    text = pdf[0].get_textpage().get_text_range()
    assert "1985.03（34岁）" in re.sub(r"\s", "", text)


def test_the_word_form_holds_the_same_data_and_the_photo(parse):
    doc = Document(io.BytesIO(form_docx(parse("basic.lrmx"), day=dt.date(2026, 11, 22))))
    cells = {c.text for t in doc.tables for r in t.rows for c in r.cells}
    assert "向东" in cells and "1985.03（41岁）" in cells
    assert any("泸溪县委组织部组织室副主任、主任" in c for c in cells)
    assert len(doc.inline_shapes) == 1
