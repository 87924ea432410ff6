"""Round trips: file → import → export → import, and registry → export → import."""

import copy

import pytest

from zugong.interop import merge, services
from zugong.interop.exports import people_lrmx_zip, person_lrmx
from zugong.interop.legacy import build_lrm, parse_lrm
from zugong.interop.lrmx import Codes, parse_lrmx
from zugong.interop.lrmx_writer import build_lrmx
from zugong.people.models import Person

from .test_lrmx_import import QUIRKS

MONTH_PRECISION = {"party_join_date", "work_start_date"}
# The form has no political-status field: RuDangShiJian carries Party membership (with its
# date) and democratic parties; 共青团员 and 群众 are not carried.
NOT_CARRIED_STATUS = {"03", "13"}


def _month(value):
    return value[:7] if value else value


def comparable(record: dict, *, birth_to_month: bool = False) -> dict:
    """The structured data the format carries, at the precision it carries it."""
    r = copy.deepcopy(record)
    p = r["person"]
    for key in MONTH_PRECISION | ({"birth_date"} if birth_to_month else set()):
        p[key] = _month(p.get(key))
    if p.get("political_status") in NOT_CARRIED_STATUS:
        p["political_status"] = None
    for e in r["resume"]:
        e["start"], e["end"] = _month(e["start"]), _month(e["end"])
    for m in r["family"]:
        m["birth_date"] = _month(m["birth_date"])
    for x in r["rewards"]:
        x["date"] = _month(x["date"])
    # The text an annual result was read from is kept as written, not structured data:
    # an export writes the parsed years back in the line format.
    for a in r["assessments"]:
        a.pop("source_text", None)
    r["rewards"].sort(key=lambda x: (x["date"], x["title"]))
    r["family"].sort(key=lambda m: (m["relation"], m["name"]))
    return {k: r[k] for k in ("person", "resume", "family", "rewards", "assessments",
                              "extras", "photo")}


@pytest.mark.parametrize("name", QUIRKS + ["date_formats.lrmx"])
def test_import_export_import_gives_the_same_structured_data(parse, name):
    first = parse(name)
    codes = Codes.load()
    exported = build_lrmx(first, codes)
    second = parse_lrmx(exported, name, codes)
    # A birth date without an ID number goes out as YYYYMM, the form's own precision.
    no_id = not first["person"]["id_number"]
    assert comparable(second, birth_to_month=no_id) == comparable(first, birth_to_month=no_id)
    assert exported.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<Person>')


def test_the_exported_file_uses_yyyymm_dates_the_line_format_and_a_version(parse):
    text = build_lrmx(parse("resume_dashes.lrmx")).decode()
    assert "<ChuShengNianYue>198503</ChuShengNianYue>" in text
    assert "<RuDangShiJian>200606</RuDangShiJian>" in text
    assert "1999.09--2003.07  湖南师范大学法学专业学习" in text
    assert "2020.01--         泸溪县委组织部常务副部长" in text
    assert "<Version>3.2.1.16</Version>" in text


def test_the_photo_is_embedded_in_the_export(parse, lrmx_file):
    import base64

    text = build_lrmx(parse("basic.lrmx")).decode()
    start = text.index("<ZhaoPian>") + len("<ZhaoPian>")
    photo = base64.b64decode(text[start:text.index("</ZhaoPian>")])
    assert photo == lrmx_file("photo.jpg")


def test_registered_people_export_and_import_back_unchanged(cast, lrmx_file):
    batch, _r = services.batch_prepare(by=cast["head"],
                                       files=[(n, lrmx_file(n)) for n in QUIRKS],
                                       unit=cast.county_unit)
    services.batch_apply(by=cast["head"], batch=batch)
    people = Person.objects.filter(unit=cast.county_unit, category="managed")
    buf, count = people_lrmx_zip(people)
    assert count == people.count() >= len(QUIRKS)
    again, report = services.batch_prepare(by=cast["head"], files=[("all.zip", buf.read())],
                                           unit=cast.county_unit)
    assert report.ok, report.problems
    diffs = merge.diff_batch(services.batch_records(again), user=cast["head"])
    assert {d.status for d in diffs} == {"same"}


def test_the_demo_people_survive_export_and_import_for_every_field_the_form_carries(people_demo):
    assert people_demo.created
    codes = Codes.load()
    people = list(Person.objects.order_by("id")[:150])
    assert len(people) == 150
    for person in people:
        original = merge.person_to_record(person)
        data = person_lrmx(person, codes)
        back = parse_lrmx(data, f"{person.pk}.lrmx", codes)
        assert comparable(back) == comparable(original), person.pk
        # The same person, matched by ID number, shows no difference at all.
        diff = merge.diff_record(0, back, user=None, codes=codes)
        assert diff.status == "same", (person.pk, diff.changes)


@pytest.mark.parametrize("name", ["basic.lrmx", "deceased_family.lrmx", "resume_dashes.lrmx"])
def test_the_legacy_lrm_format_reads_the_same_as_lrmx(parse, name):
    record = parse(name)
    codes = Codes.load()
    lrm, pic = build_lrm(record, codes)
    lrm.decode("gbk")  # the legacy format is GBK text
    assert lrm.startswith(b'"') and lrm.count(b'","') == 32
    back = parse_lrm(lrm, name.replace(".lrmx", ".lrm"), codes, photo=pic)
    # Version 2.0 predates the 2025 fields.
    for key in ("GaiGeQianRenZhiNianLingJieXian", "DaoLingNianYue"):
        record["extras"].pop(key, None)
    no_id = not record["person"]["id_number"]
    assert comparable(back, birth_to_month=no_id) == comparable(record, birth_to_month=no_id)
