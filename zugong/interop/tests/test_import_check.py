"""The dry run applies every check of the import, and the preview says where people go
(issue 16, point 2)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from zugong.interop import services
from zugong.interop.models import ImportBatch
from zugong.people.models import OrgUnit, Person, UnitKind

from .test_workbook import _book, _good_rows


def test_a_b01_row_with_an_unknown_parent_fails_the_check_not_the_import(cast):
    rows = _good_rows()
    rows["B01"] = [["433122-U99", "县统计局", "NO-SUCH-UNIT", "县直单位"]]
    batch, report = services.workbook_prepare(by=cast["head"], data=_book(rows),
                                              name="b.xlsx", unit=None, category="managed")
    assert batch is None
    assert any("NO-SUCH-UNIT" in p and "B01" in p for p in report.problems), report.problems
    assert not OrgUnit.objects.filter(code="433122-U99").exists()


def test_a_b01_parent_outside_the_importers_scope_fails_the_check(cast):
    rows = _good_rows()
    rows["B01"] = [["433122-U99", "县统计局", cast.other_dept.code, "县直单位"]]
    batch, report = services.workbook_prepare(by=cast["head"], data=_book(rows),
                                              name="b.xlsx", unit=None, category="managed")
    assert batch is None and any(cast.other_dept.code in p for p in report.problems)


def test_the_check_reports_what_only_the_import_used_to_refuse(cast, lrmx_file):
    # An LRMX file names no unit: without "unit for new people" the new person has nowhere
    # to go. The check used to pass it and the confirmation failed.
    batch, report = services.batch_prepare(
        by=cast["head"], files=[("basic.lrmx", lrmx_file("basic.lrmx"))], unit=None)
    assert batch is None and not ImportBatch.objects.exists()
    assert any("请选择新人员所在单位" in p for p in report.problems), report.problems
    assert not Person.objects.filter(name="向东").exists()


def test_the_trial_import_of_the_check_leaves_nothing_behind(cast):
    before = (Person.objects.count(), OrgUnit.objects.count())
    batch, report = services.workbook_prepare(by=cast["head"], data=_book(_good_rows()),
                                              name="b.xlsx", unit=None, category="managed")
    assert report.ok and batch is not None
    assert (Person.objects.count(), OrgUnit.objects.count()) == before


def test_a_top_unit_needs_the_right_to_create_departments(cast, tmp_path):
    rows = _good_rows()
    rows["B01"] = [["439900", "新县委组织部", "", ""], ["43990001", "组织室", "439900", "组室"]]
    rows["A01"] = [rows["A01"][0][:15] + ["43990001", "组工干部"]]
    rows.update({k: [] for k in ("A02", "A08", "A14", "A15", "A36")})
    batch, report = services.workbook_prepare(by=cast["head"], data=_book(rows),
                                              name="b.xlsx", unit=None, category="managed")
    assert batch is None and any("439900" in p for p in report.problems)
    path = tmp_path / "dept.xlsx"
    path.write_bytes(_book(rows))
    call_command("import_workbook", str(path), "--dry-run")
    assert not OrgUnit.objects.filter(code="439900").exists()
    call_command("import_workbook", str(path), "--quiet")
    top = OrgUnit.objects.get(code="439900")
    assert top.is_root() and top.kind == UnitKind.ORG_DEPT
    assert Person.objects.get(name="石磊").unit.code == "43990001"


def test_the_command_line_dry_run_fails_on_a_bad_parent(cast, tmp_path):
    rows = _good_rows()
    rows["B01"] = [["433122-U99", "县统计局", "NO-SUCH-UNIT", "县直单位"]]
    path = tmp_path / "bad.xlsx"
    path.write_bytes(_book(rows))
    with pytest.raises(CommandError):
        call_command("import_workbook", str(path), "--dry-run")


def test_the_preview_shows_units_to_create_and_where_each_person_goes(cast, client_for):
    client = client_for(cast["head"])
    upload = SimpleUploadedFile("book.xlsx", _book(_good_rows()))
    response = client.post(reverse("interop:workbook_import"), {
        "file": upload, "category": "managed"})  # no unit for new people: every row has one
    assert response.status_code == 302, response.content.decode()[-2000:]
    page = client.get(response["Location"]).content.decode()
    units = page[page.index('id="preview-units"'):]
    assert "县统计局 · 433122-U99" in units
    assert "县统计局 · 管理干部" in page  # 石磊: the new unit and the file's category
    assert f"{cast.county_unit.name} · 管理干部" in page  # 龙燕: the batch's category


def test_unchanged_people_are_collapsed_in_the_preview(cast, client_for):
    client = client_for(cast["head"])
    batch, _report = services.workbook_prepare(by=cast["head"], data=_book(_good_rows()),
                                               name="b.xlsx", unit=None, category="managed")
    services.batch_apply(by=cast["head"], batch=batch)
    again, _report = services.workbook_prepare(by=cast["head"], data=_book(_good_rows()),
                                               name="b.xlsx", unit=None, category="managed")
    page = client.get(reverse("interop:preview", args=[again.pk])).content.decode()
    collapsed = page[page.index('id="preview-unchanged"'):]
    assert "2 名人员无变化" in collapsed and "石磊" in collapsed
    assert "zg-diff-same" not in page  # no card, no checkbox for an unchanged person


def _held(page: str) -> str:
    import re

    found = re.search(r'name="held" value="([^"]+)"', page)
    assert found, "the page holds no reference to the chosen file"
    return found.group(1)


def test_the_chosen_workbook_survives_an_error_in_another_field(cast, client_for):
    client = client_for(cast["head"])
    url = reverse("interop:workbook_import")
    upload = SimpleUploadedFile("book.xlsx", _book(_good_rows()))
    response = client.post(url, {"file": upload, "category": "no-such-category"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "book.xlsx" in page  # the page says which file it kept
    # The second try chooses no file: the one kept server-side is checked and previewed.
    response = client.post(url, {"held": _held(page), "category": "managed"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    batch = ImportBatch.objects.get()
    assert batch.name == "book.xlsx" and batch.status == ImportBatch.Status.PREVIEW
    # Once a batch is stored, the kept file is gone: the reference does not work twice.
    response = client.post(url, {"held": _held(page), "category": "managed"})
    assert response.status_code == 200 and ImportBatch.objects.count() == 1


def test_the_chosen_lrmx_files_survive_a_problem_the_unit_field_answers(cast, client_for,
                                                                         lrmx_file):
    client = client_for(cast["head"])
    url = reverse("interop:lrmx_import")
    upload = SimpleUploadedFile("basic.lrmx", lrmx_file("basic.lrmx"))
    response = client.post(url, {"files": [upload], "category": "managed"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "请选择新人员所在单位" in page and "basic.lrmx" in page
    response = client.post(url, {"held": _held(page), "category": "managed",
                                 "unit": cast.county_unit.pk})
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert ImportBatch.objects.get().name == "basic.lrmx"


def test_a_kept_file_is_only_for_the_user_who_chose_it_and_stays_encrypted(cast, client_for):
    from django.core.files.storage import default_storage

    from zugong.core import files

    url = reverse("interop:workbook_import")
    upload = SimpleUploadedFile("book.xlsx", _book(_good_rows()))
    ref = _held(client_for(cast["head"]).post(url, {"file": upload, "category": "x"})
                .content.decode())
    assert files.held_uploads(user=cast["head"], ref=ref)[0][0] == "book.xlsx"
    assert files.held_uploads(user=cast["deputy"], ref=ref) is None
    assert files.held_uploads(user=cast["head"], ref=ref + "x") is None
    # Another user's reference chooses nothing on the page either: the file is required.
    response = client_for(cast["deputy"]).post(url, {"held": ref, "category": "managed"})
    assert response.status_code in (200, 403) and not ImportBatch.objects.exists()
    _dirs, names = default_storage.listdir("held")
    stored = default_storage.open(f"held/{names[0]}").read()
    # A ciphertext token of the kit's crypto, not the workbook (a zip starting with PK).
    assert not stored.startswith(b"PK") and files.provider().decrypt(stored.decode())
