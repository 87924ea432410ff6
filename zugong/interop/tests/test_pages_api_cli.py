"""The pages (upload → preview → confirm), the API and the command line."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from zugong.interop.models import ImportBatch
from zugong.people.models import Person

from .test_lrmx_import import QUIRKS


def _upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_upload_preview_and_confirm_on_the_pages(cast, client_for, lrmx_file):
    client = client_for(cast["head"])
    response = client.post(reverse("interop:lrmx_import"), {
        "files": [_upload("basic.lrmx", lrmx_file("basic.lrmx")),
                  _upload("bom.lrmx", lrmx_file("bom.lrmx"))],
        "unit": cast.county_unit.pk, "category": "managed"})
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "向东" in page and "彭丽" in page and "新人员" in page
    assert 'name="apply" value="0"' in page
    response = client.post(reverse("interop:confirm", args=[batch.pk]), {"apply": ["1"]})
    assert response.status_code == 302
    assert Person.objects.filter(name="彭丽").exists()
    assert not Person.objects.filter(name="向东").exists()  # not ticked
    page = client.get(reverse("interop:preview", args=[batch.pk])).content.decode()
    assert "已导入" in page


def test_a_bad_file_is_named_in_chinese_on_the_page_and_nothing_is_stored(cast, client_for,
                                                                         lrmx_file):
    client = client_for(cast["head"])
    response = client.post(reverse("interop:lrmx_import"), {
        "files": [_upload("basic.lrmx", lrmx_file("basic.lrmx")),
                  _upload("bad_month.lrmx", lrmx_file("bad_month.lrmx"))],
        "unit": cast.county_unit.pk, "category": "managed"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "bad_month.lrmx" in page and "出生年月（ChuShengNianYue）" in page
    assert "未导入任何数据" in page
    assert not ImportBatch.objects.exists()


def test_a_zip_of_a_folder_is_previewed_as_one_batch(cast, client_for, lrmx_file):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for name in QUIRKS:
            archive.writestr(f"干部/{name}", lrmx_file(name))
    client = client_for(cast["head"])
    response = client.post(reverse("interop:lrmx_import"), {
        "files": [_upload("batch.zip", buf.getvalue())], "unit": cast.county_unit.pk,
        "category": "managed"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert page.count('name="apply"') == len(QUIRKS)


def test_the_person_page_offers_the_form_and_the_pdf_downloads(cast, client_for):
    client = client_for(cast["head"])
    person = cast.people["cadre"]
    page = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert reverse("interop:form_pdf", args=[person.pk]) in page
    response = client.get(reverse("interop:form_pdf", args=[person.pk]), {"at": "2026-01-01"})
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    response = client.get(reverse("interop:person_lrmx", args=[person.pk]))
    assert b"<XingMing>" in response.content and person.name.encode() in response.content


def test_the_people_list_exports_lrmx_of_only_the_people_in_scope(cast, client_for):
    client = client_for(cast["chief"])  # own unit: 组织室
    response = client.get(reverse("interop:people_lrmx"))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = {n.split("-")[0] for n in archive.namelist()}
    assert names == {"张建国", "李小红"}


def test_the_api_previews_and_confirms_a_batch(cast, client_for, lrmx_file):
    client = client_for(cast["head"])
    response = client.post("/api/v1/interop/batches", {
        "files": [_upload("basic.lrmx", lrmx_file("basic.lrmx"))],
        "unit_id": cast.county_unit.pk})
    assert response.status_code == 201, response.content
    body = response.json()
    assert [p["status"] for p in body["people"]] == ["create"]
    assert any(c["key"] == "resume" for c in body["people"][0]["changes"])
    response = client.post(f"/api/v1/interop/batches/{body['id']}/confirm", {"apply": [0]},
                           content_type="application/json")
    assert response.json()["created"] == 1
    again = client.post(f"/api/v1/interop/batches/{body['id']}/confirm", {"apply": [0]},
                        content_type="application/json")
    assert again.status_code == 409


def test_the_api_names_every_bad_file_in_a_structured_error(cast, client_for, lrmx_file):
    client = client_for(cast["head"])
    response = client.post("/api/v1/interop/batches", {
        "files": [_upload("wrong_root.lrmx", lrmx_file("wrong_root.lrmx")),
                  _upload("truncated.lrmx", lrmx_file("truncated.lrmx"))],
        "unit_id": cast.county_unit.pk})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert len(error["fields"]["files"]) == 2
    assert any("truncated.lrmx" in m for m in error["fields"]["files"])


def test_read_only_roles_cannot_upload_through_the_api(cast, client_for, lrmx_file):
    client = client_for(cast["supervisor"])
    response = client.post("/api/v1/interop/batches", {
        "files": [_upload("basic.lrmx", lrmx_file("basic.lrmx"))]})
    assert response.status_code == 403


def test_the_command_line_dry_run_writes_nothing_and_the_import_writes(cast, tmp_path,
                                                                       lrmx_file):
    for name in ("basic.lrmx", "lowercase_x.lrmx"):
        (tmp_path / name).write_bytes(lrmx_file(name))
    out = io.StringIO()
    call_command("import_lrmx", str(tmp_path), "--unit", cast.county_unit.code, "--dry-run",
                 stdout=out)
    assert "create" in out.getvalue() and "dry run" in out.getvalue()
    assert not Person.objects.filter(name="向东").exists()
    call_command("import_lrmx", str(tmp_path), "--unit", cast.county_unit.code, stdout=out)
    assert Person.objects.filter(name__in=["向东", "杨梅"]).count() == 2
    call_command("export_lrmx", "--out", str(tmp_path / "out.zip"), "--unit",
                 cast.county_unit.code, stdout=out)
    assert len(zipfile.ZipFile(tmp_path / "out.zip").namelist()) == 3  # with 田志强


def test_the_command_line_refuses_a_bad_batch_naming_the_file(cast, tmp_path, lrmx_file):
    (tmp_path / "bad_check_char.lrmx").write_bytes(lrmx_file("bad_check_char.lrmx"))
    (tmp_path / "basic.lrmx").write_bytes(lrmx_file("basic.lrmx"))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_lrmx", str(tmp_path), "--unit", cast.county_unit.code, stderr=err)
    assert "bad_check_char.lrmx" in err.getvalue()
    assert not Person.objects.filter(name="向东").exists()


def test_the_hyphenated_commands_reach_the_management_commands():
    from zugong.cli import ALIASES

    for name in ("import-lrmx", "export-lrmx", "import-workbook", "export-workbook"):
        assert ALIASES[name] == name.replace("-", "_")


def test_workbook_commands_export_and_import_back(cast, tmp_path):
    out = io.StringIO()
    path = tmp_path / "book.xlsx"
    call_command("export_workbook", "--out", str(path), stdout=out)
    assert f"exported {Person.objects.count()} people" in out.getvalue()
    call_command("import_workbook", str(path), stdout=out)
    assert "created 0, updated 0" in out.getvalue()
