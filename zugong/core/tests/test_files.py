"""The upload kit: types are read from the content, sizes come from a setting, and a stored
file goes out as a download (images inline) that no browser may run."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import Http404
from django.utils import translation
from PIL import Image

from zugong.core import files

PDF = b"%PDF-1.4\n%test\n"
HTML = b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"


def _image(fmt: str) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buf, fmt)
    return buf.getvalue()


def _zip(*names: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buf.getvalue()


@pytest.mark.parametrize(("content", "kind"), [
    (_image("JPEG"), "jpeg"),
    (_image("PNG"), "png"),
    (_image("WEBP"), "webp"),
    (PDF, "pdf"),
    (_zip("[Content_Types].xml", "word/document.xml"), "docx"),
    (_zip("[Content_Types].xml", "xl/workbook.xml"), "xlsx"),
    (_zip("OFD.xml", "Doc_0/Document.xml"), "ofd"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "ole"),
    (HTML, None),
    (b"MZ\x90\x00", None),  # a Windows program
    (_zip("index.html"), None),  # a zip that is no document
    (b"", None),
])
def test_the_kind_is_read_from_the_first_bytes(content, kind):
    assert files.sniff(io.BytesIO(content)) == kind


def test_an_html_page_named_like_a_pdf_is_refused_in_chinese():
    upload = SimpleUploadedFile("心得.pdf", HTML, content_type="application/pdf")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        files.check_upload(upload, field="file")
    [message] = exc.value.message_dict["file"]
    assert "不能上传此类文件" in message and "PDF" in message


def test_a_file_over_the_size_setting_is_refused_before_its_type_is_read(settings):
    settings.ZUGONG_UPLOAD_MAX_BYTES = 1024
    upload = SimpleUploadedFile("a.pdf", PDF + b"\0" * 2048)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        files.check_upload(upload, field="evidence")
    assert "最大允许 1.0\xa0KB" in exc.value.message_dict["evidence"][0]
    settings.ZUGONG_UPLOAD_MAX_BYTES = 4096
    assert files.check_upload(upload, field="evidence") == "pdf"


def test_an_accepted_file_takes_the_extension_of_what_it_is():
    upload = SimpleUploadedFile("报告.html", PDF)
    assert files.check_upload(upload, field="file") == "pdf"
    assert upload.name == "报告.pdf"
    photo = SimpleUploadedFile("scan", _image("PNG"))
    files.check_upload(photo, field="photos", kinds=files.IMAGES)
    assert photo.name == "scan.png"
    with pytest.raises(ValidationError):
        files.check_upload(SimpleUploadedFile("x.png", PDF), field="photos", kinds=files.IMAGES)


# A file field of no model: the kit needs only the stored file, whichever record owns it.
FIELD = models.FileField(name="file")


def _stored(db_name: str, content: bytes) -> FieldFile:
    return FieldFile(None, FIELD, default_storage.save(db_name, ContentFile(content)))


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_document_is_a_download_with_its_chinese_name_and_may_not_run():
    response = files.file_response(_stored("learning/学习心得.pdf", PDF))
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%E5%AD%A6%E4%B9%A0%E5%BF%83%E5%BE%97.pdf" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert _body(response) == PDF


def test_an_image_is_shown_inline_and_html_stored_earlier_is_never_html():
    image = files.file_response(_stored("learning/页.png", _image("PNG")))
    assert image["Content-Type"] == "image/png"
    assert image["Content-Disposition"].startswith("inline;")
    # A file kept before uploads were checked, whatever its name says.
    page = files.file_response(_stored("learning/page.html", HTML))
    assert page["Content-Type"] == "application/octet-stream"
    assert page["Content-Disposition"].startswith("attachment;")


def test_an_empty_or_vanished_file_is_not_found():
    with pytest.raises(Http404):
        files.file_response(FieldFile(None, FIELD, ""))
    with pytest.raises(Http404):
        files.file_response(FieldFile(None, FIELD, "learning/gone.pdf"))
