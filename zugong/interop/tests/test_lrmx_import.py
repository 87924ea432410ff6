"""Matching, the per-person difference, atomic and idempotent batches."""

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied

from zugong.core.models import AuditEntry
from zugong.interop import merge, services
from zugong.interop.models import FormSheet, ImportBatch
from zugong.people.models import AnnualAssessment, FamilyMember, Person, ResumeEntry

QUIRKS = ["basic.lrmx", "bom.lrmx", "padded_name.lrmx", "whitespace_elements.lrmx",
          "resume_dashes.lrmx", "deceased_family.lrmx", "lowercase_x.lrmx",
          "democratic_party.lrmx", "annual_results.lrmx", "rewards_text.lrmx"]


def _zip(files):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for name, data in files:
            archive.writestr(name, data)
    return buf.getvalue()


def _prepare(cast, lrmx_file, names, user="head"):
    files = [(n, lrmx_file(n)) for n in names]
    return services.batch_prepare(by=cast[user], files=files, unit=cast.county_unit)


def test_a_new_person_is_created_with_every_record_and_the_photo(cast, lrmx_file):
    batch, report = _prepare(cast, lrmx_file, ["basic.lrmx"])
    assert report.ok
    diffs = merge.diff_batch(services.batch_records(batch), user=cast["head"])
    assert [d.status for d in diffs] == ["create"]
    counts = services.batch_apply(by=cast["head"], batch=batch)
    assert counts == {"created": 1, "updated": 0, "unchanged": 0, "skipped": 0}
    person = Person.objects.get(name="向东")
    assert person.unit == cast.county_unit and person.category == "managed"
    assert person.id_number == "433122198503141239"
    assert person.photo
    assert ResumeEntry.objects.filter(person=person).count() == 4
    assert FamilyMember.objects.filter(person=person).count() == 3
    assert AnnualAssessment.objects.filter(person=person).count() == 3
    sheet = FormSheet.objects.get(person=person)
    assert sheet.fields["NiRenZhiWu"] == "泸溪县委组织部常务副部长"
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED and batch.payload == "[]"


def test_importing_the_same_batch_twice_changes_nothing(cast, lrmx_file):
    archive = _zip([(n, lrmx_file(n)) for n in QUIRKS])
    first, report = services.batch_prepare(by=cast["head"], files=[("quirks.zip", archive)],
                                           unit=cast.county_unit)
    assert report.ok, report.problems
    counts = services.batch_apply(by=cast["head"], batch=first)
    assert counts["created"] == len(QUIRKS)
    people = Person.objects.count()
    audit = AuditEntry.objects.count()
    second, _report = services.batch_prepare(by=cast["head"], files=[("quirks.zip", archive)],
                                             unit=cast.county_unit)
    diffs = merge.diff_batch(services.batch_records(second), user=cast["head"])
    assert {d.status for d in diffs} == {"same"}, [(d.source, d.changes) for d in diffs
                                                  if d.status != "same"]
    before = Person.objects.count(), ResumeEntry.objects.count(), FamilyMember.objects.count()
    again = services.batch_apply(by=cast["head"], batch=second)
    assert again == {"created": 0, "updated": 0, "unchanged": len(QUIRKS), "skipped": 0}
    assert (Person.objects.count(), ResumeEntry.objects.count(),
            FamilyMember.objects.count()) == before
    assert Person.objects.count() == people
    assert AuditEntry.objects.count() > audit  # preparing and confirming are audited


def test_identical_files_import_once_and_then_show_as_unchanged(cast, lrmx_file):
    batch, _r = _prepare(cast, lrmx_file, ["basic.lrmx", "bom.lrmx"])
    services.batch_apply(by=cast["head"], batch=batch)
    batch, _r = _prepare(cast, lrmx_file, ["basic.lrmx", "bom.lrmx"])
    diffs = merge.diff_batch(services.batch_records(batch), user=cast["head"])
    assert [d.status for d in diffs] == ["same", "same"]
    before = AuditEntry.objects.count()
    counts = services.batch_apply(by=cast["head"], batch=batch)
    assert counts == {"created": 0, "updated": 0, "unchanged": 2, "skipped": 0}
    assert AuditEntry.objects.count() == before + 1  # only the import's own entry


def test_a_match_by_id_number_shows_new_changed_and_conflicting_fields(cast, lrmx_file):
    person = cast.people["chief"]  # 张建国, registered with ID number and no résumé
    data = lrmx_file("basic.lrmx").decode()
    data = data.replace("433122198503141239", person.id_number).replace(
        "向  东", "张建国").replace("<XingBie>男", "<XingBie>男")
    born = person.birth_date
    data = data.replace("<ChuShengNianYue>198503", f"<ChuShengNianYue>{born:%Y%m}")
    batch, report = services.batch_prepare(by=cast["head"], files=[("zjg.lrmx", data.encode())],
                                           unit=cast.county_unit)
    assert report.ok, report.problems
    [diff] = merge.diff_batch(services.batch_records(batch), user=cast["head"])
    assert diff.matched_by == "id_number" and diff.person_id == person.pk
    kinds = {c.key: c.kind for c in diff.changes}
    assert kinds["current_post"] == "change"  # 组织室主任 → 泸溪县委组织部副部长
    assert kinds["resume"] == "new" and kinds["photo"] == "new"
    assert kinds["ethnicity"] == "change"
    assert diff.status == "update"
    services.batch_apply(by=cast["head"], batch=batch)
    person.refresh_from_db()
    assert person.current_post == "泸溪县委组织部副部长"
    assert person.resume.count() == 4


def test_a_match_by_name_and_birth_month_with_another_id_number_is_a_conflict(cast, lrmx_file):
    person = cast.people["chief"]
    data = lrmx_file("basic.lrmx").decode().replace("向  东", "张建国").replace(
        "<ChuShengNianYue>198503", f"<ChuShengNianYue>{person.birth_date:%Y%m}").replace(
        "433122198503141239", "")
    data = data.replace("<ShenFenZheng></ShenFenZheng>",
                        "<ShenFenZheng>433122198503141239</ShenFenZheng>")
    batch, report = services.batch_prepare(by=cast["head"], files=[("x.lrmx", data.encode())],
                                           unit=cast.county_unit)
    [diff] = merge.diff_batch(services.batch_records(batch), user=cast["head"])
    assert diff.matched_by == "name_birth"
    assert diff.status == "conflict"
    assert [c.key for c in diff.changes if c.kind == "conflict"] == ["id_number"]
    assert not diff.default_apply
    counts = services.batch_apply(by=cast["head"], batch=batch)
    assert counts["skipped"] == 1
    person.refresh_from_db()
    assert person.current_post == "组织室主任"


def test_the_user_chooses_which_people_are_written(cast, lrmx_file):
    batch, _r = _prepare(cast, lrmx_file, ["basic.lrmx", "lowercase_x.lrmx"])
    diffs = merge.diff_batch(services.batch_records(batch), user=cast["head"])
    keep = {d.index: d.name == "杨梅" for d in diffs}
    counts = services.batch_apply(by=cast["head"], batch=batch, choices=keep)
    assert counts["created"] == 1 and counts["skipped"] == 1
    assert Person.objects.filter(name="杨梅").exists()
    assert not Person.objects.filter(name="向东").exists()


def test_one_bad_file_means_nothing_of_the_batch_is_stored_or_written(cast, lrmx_file):
    batch, report = _prepare(cast, lrmx_file, ["basic.lrmx", "bad_month.lrmx",
                                               "bad_check_char.lrmx"])
    assert batch is None and not report.ok
    assert len(report.problems) == 2
    assert any("bad_month.lrmx" in p and "ChuShengNianYue" in p for p in report.problems)
    assert not ImportBatch.objects.exists()
    assert not Person.objects.filter(name="向东").exists()


def test_the_same_person_twice_in_a_batch_is_refused(cast, lrmx_file):
    _batch, report = services.batch_prepare(
        by=cast["head"], files=[("a.lrmx", lrmx_file("basic.lrmx")),
                                ("b.lrmx", lrmx_file("basic.lrmx"))], unit=cast.county_unit)
    assert not report.ok
    assert "b.lrmx" in report.problems[0] and "a.lrmx" in report.problems[0]


def test_a_failing_write_rolls_back_the_whole_batch(cast, lrmx_file):
    batch, _r = _prepare(cast, lrmx_file, ["lowercase_x.lrmx", "basic.lrmx"])
    records = services.batch_records(batch)
    records[1]["resume"][0]["text"] = "长" * 400  # the registry refuses this line
    with pytest.raises(Exception):  # noqa: B017 - any refusal must roll back
        services.records_apply(by=cast["head"], records=records, unit=cast.county_unit,
                               category="managed")
    assert not Person.objects.filter(name__in=["杨梅", "向东"]).exists()


def test_people_outside_the_importers_scope_are_not_touched(cast, lrmx_file):
    outsider = cast.people["outsider"]
    data = lrmx_file("basic.lrmx").decode().replace("433122198503141239", outsider.id_number)
    data = data.replace("向  东", outsider.name).replace(
        "<ChuShengNianYue>198503", f"<ChuShengNianYue>{outsider.birth_date:%Y%m}")
    batch, _r = services.batch_prepare(by=cast["head"], files=[("o.lrmx", data.encode())],
                                       unit=cast.county_unit)
    [diff] = merge.diff_batch(services.batch_records(batch), user=cast["head"])
    assert diff.status == "conflict" and diff.blocking and not diff.can_apply
    services.batch_apply(by=cast["head"], batch=batch)
    outsider.refresh_from_db()
    assert outsider.current_post == "组织室主任"


def test_an_id_number_registered_outside_the_scope_is_refused_like_any_conflict(cast,
                                                                                 lrmx_file):
    """The refusal neither names the person nor says that (or where) the number is kept."""
    from django.utils import translation

    outsider = cast.people["outsider"]
    data = lrmx_file("basic.lrmx").decode().replace("433122198503141239", outsider.id_number)
    batch, _r = services.batch_prepare(by=cast["head"], files=[("o.lrmx", data.encode())],
                                       unit=cast.county_unit)
    with translation.override("zh-hans"):
        [by_id] = merge.diff_batch(services.batch_records(batch), user=cast["head"])
        generic = merge.blocked_message()
    assert by_id.status == "conflict" and by_id.person_id is None
    # The one refusal every match the importer may not change gets (by name too).
    assert by_id.blocking == generic == "此记录与在册数据冲突，不能在此导入。"
    assert outsider.name not in by_id.blocking
    assert "范围" not in by_id.blocking and "身份证" not in by_id.blocking


def test_read_only_roles_and_units_outside_scope_are_refused(cast, lrmx_file):
    with pytest.raises(PermissionDenied):
        _prepare(cast, lrmx_file, ["basic.lrmx"], user="cadre")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.batch_prepare(by=cast["chief"], files=[("a.lrmx", lrmx_file("basic.lrmx"))],
                               unit=cast.county_unit)


def test_a_confirmed_batch_cannot_be_confirmed_again(cast, lrmx_file):
    batch, _r = _prepare(cast, lrmx_file, ["basic.lrmx"])
    services.batch_apply(by=cast["head"], batch=batch)
    with pytest.raises(services.BatchStateError):
        services.batch_apply(by=cast["head"], batch=batch)


def test_a_legacy_lrm_file_with_its_pic_photo_imports_in_a_zip(cast, lrmx_file):
    archive = _zip([("老系统/legacy.lrm", lrmx_file("legacy.lrm")),
                    ("老系统/legacy.pic", lrmx_file("legacy.pic"))])
    batch, report = services.batch_prepare(by=cast["head"], files=[("old.zip", archive)],
                                           unit=cast.county_unit)
    assert report.ok, report.problems
    [record] = services.batch_records(batch)
    assert record["person"]["name"] == "覃勇"  # GBK, padded
    assert [m["is_deceased"] for m in record["family"]] == [False, True, False]
    services.batch_apply(by=cast["head"], batch=batch)
    person = Person.objects.get(name="覃勇")
    assert person.photo and person.resume.count() == 4


def test_a_legacy_file_with_the_wrong_number_of_fields_is_named(cast):
    bad = '"张三","男","198503"'.encode("gbk")
    _batch, report = services.batch_prepare(by=cast["head"], files=[("short.lrm", bad)],
                                            unit=cast.county_unit)
    assert "short.lrm" in report.problems[0] and "33" in report.problems[0]
