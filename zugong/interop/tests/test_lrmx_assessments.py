"""Annual results as real files phrase them (issue 15, point 14): every year gets its
result, and the text as written is kept beside the parsed years."""

import pytest

from zugong.interop.lrmx import Codes, _read_assessments, _read_family, _Reader

EXCELLENT, COMPETENT = "1", "2"


@pytest.fixture
def reader(db):
    return _Reader("test.lrmx", Codes.load())


@pytest.mark.parametrize("text, expected", [
    ("2023年、2024年年度考核均为优秀，2025年年度考核为称职",
     [(2023, EXCELLENT), (2024, EXCELLENT), (2025, COMPETENT)]),
    ("2022年至2025年年度考核均为称职",
     [(2022, COMPETENT), (2023, COMPETENT), (2024, COMPETENT), (2025, COMPETENT)]),
    ("2021—2023年度均为称职", [(2021, COMPETENT), (2022, COMPETENT), (2023, COMPETENT)]),
    ("2021-2023年度均为称职", [(2021, COMPETENT), (2022, COMPETENT), (2023, COMPETENT)]),
    ("连续三年（2022-2024）年度考核为称职",
     [(2022, COMPETENT), (2023, COMPETENT), (2024, COMPETENT)]),
])
def test_each_phrasing_gives_every_year_its_result(reader, text, expected):
    rows, unparsed = _read_assessments(reader, text)
    assert [(a["year"], a["result"]) for a in rows] == expected
    assert unparsed == ""
    assert reader.uncertain == []
    assert {a["source_text"] for a in rows} == {text}


def test_a_count_that_disagrees_with_the_range_is_reported(reader):
    rows, _unparsed = _read_assessments(reader, "连续两年（2022-2024）年度考核为称职")
    assert [a["year"] for a in rows] == [2022, 2023, 2024]
    assert [u["field"] for u in reader.uncertain] == ["NianDuKaoHeJieGuo"]


def test_a_democratic_party_member_in_the_family_is_coded_by_the_party(reader):
    members = _read_family(reader, [{"ChengWei": "妻子", "XingMing": "田静",
                                     "ZhengZhiMianMao": "民盟盟员"}])
    assert members[0]["political_status"] == "05"  # 民盟, GB/T 4762
    assert reader.uncertain == []


def test_the_text_as_written_is_stored_beside_each_year(db, cast):
    from zugong.interop.services import _add_subrecord
    from zugong.people.models import AnnualAssessment

    text = "2022年至2025年年度考核均为称职"
    rows, _unparsed = _read_assessments(_Reader("t", Codes.load()), text)
    person = cast["cadre"].person
    AnnualAssessment.objects.filter(person=person).delete()
    for row in rows:
        _add_subrecord(by=cast["head"], person=person, kind="assessments", row=row)
    stored = AnnualAssessment.objects.filter(person=person).order_by("year")
    assert [(a.year, a.source_text) for a in stored] == [(y, text) for y in range(2022, 2026)]
