"""Each quirk of real LRMX files has its own file under files/ and its own test."""

import base64

import pytest

from zugong.interop.lrmx import LrmxError, parse_date, parse_lrmx


def test_a_clean_file_gives_every_field_of_the_form(parse):
    r = parse("basic.lrmx")
    p = r["person"]
    assert p["name"] == "向东"
    assert (p["sex"], p["ethnicity"], p["health"]) == ("1", "15", "1")
    assert p["birth_date"] == "1985-03-14"  # the day comes from the ID number
    assert (p["party_join_date"], p["political_status"]) == ("2006-06-01", "01")
    assert p["work_start_date"] == "2007-07-01"
    assert (p["ft_education"], p["ft_degree"], p["ft_school"]) == ("21", "403",
                                                                   "湖南师范大学法学专业")
    assert (p["is_education"], p["is_school"]) == ("14", "中央党校研究生院政治学专业")
    assert p["current_post"] == "泸溪县委组织部副部长"
    assert p["id_number"] == "433122198503141239"
    assert [e["text"] for e in r["resume"]][-1] == "泸溪县委组织部副部长"
    assert r["resume"][-1]["end"] is None
    assert [(a["year"], a["result"]) for a in r["assessments"]] == [
        (2021, "2"), (2022, "1"), (2023, "2")]
    assert r["rewards"] == [{"kind": "reward", "date": "2019-01-01", "title": "优秀共产党员",
                             "issuer": "中共泸溪县委", "reason": "2018年度工作成绩突出"}]
    assert [(m["relation"], m["name"]) for m in r["family"]] == [
        ("13", "田静"), ("10", "向大山"), ("14", "向小东")]
    extras = r["extras"]
    assert extras["NiRenZhiWu"] == "泸溪县委组织部常务副部长"
    assert extras["RenMianLiYou"] == "工作需要"
    assert extras["TianBiaoRen"] == "李小红"
    assert extras["GaiGeQianRenZhiNianLingJieXian"] == "60"
    assert extras["DaoLingNianYue"] == "204503"
    assert r["uncertain"] == []


def test_the_photo_is_decoded_from_base64_as_the_original_jpeg(parse, lrmx_file):
    r = parse("basic.lrmx")
    assert base64.b64decode(r["photo"]) == lrmx_file("photo.jpg")


def test_a_byte_order_mark_is_accepted(parse, lrmx_file):
    assert lrmx_file("bom.lrmx").startswith(b"\xef\xbb\xbf")
    r = parse("bom.lrmx")
    assert (r["person"]["name"], r["person"]["sex"]) == ("彭丽", "2")
    assert r["person"]["birth_date"] == "1979-11-02"


def test_names_padded_with_spaces_are_closed_up(parse):
    r = parse("padded_name.lrmx")
    assert r["person"]["name"] == "王伟"
    assert r["person"]["sex"] == "1"
    assert [m["name"] for m in r["family"]][0] == "田静"  # "田  静" in the file


def test_whitespace_only_elements_are_empty(parse):
    r = parse("whitespace_elements.lrmx")
    p = r["person"]
    assert p["ethnicity"] is None and p["native_place"] == ""
    assert p["professional_title"] == "" and p["is_education"] is None and p["is_school"] == ""
    assert "NiRenZhiWu" not in r["extras"] and "RenMianLiYou" not in r["extras"]
    assert r["rewards"] == []
    assert r["uncertain"] == []


def test_dates_as_yyyymmdd_and_dotted_months_are_read(parse):
    r = parse("date_formats.lrmx")
    p = r["person"]
    assert p["birth_date"] == "1985-03-14"
    assert p["party_join_date"] == "2006-06-01"  # "2006.6"
    assert p["work_start_date"] == "2007-07-01"  # "2007.07"


@pytest.mark.parametrize("text,expected", [
    ("198503", ("1985-03-01", "month")), ("19850314", ("1985-03-14", "day")),
    ("1985.03", ("1985-03-01", "month")), ("1985.3", ("1985-03-01", "month")),
    ("1985-03-14", ("1985-03-14", "day")), ("1985年3月", ("1985-03-01", "month")),
    (" 1985 ", ("1985-01-01", "year")),
])
def test_date_notations_all_mean_the_same_month(text, expected):
    day, precision = parse_date(text)
    assert (day.isoformat(), precision) == expected


@pytest.mark.parametrize("text", ["202313", "19850230", "1985.13", "去年", "85.03"])
def test_impossible_dates_are_refused(text):
    with pytest.raises(ValueError):
        parse_date(text)


def test_resume_lines_with_any_dash_and_sub_lines_become_dated_entries(parse):
    r = parse("resume_dashes.lrmx")
    rows = [(e["start"][:7], (e["end"] or "")[:7], e["text"]) for e in r["resume"]]
    assert rows == [
        ("1999-09", "2003-07", "湖南师范大学法学专业学习"),
        ("2003-07", "2008-03", "泸溪县武溪镇人民政府科员\n"
                               "（其间：2005.09－2007.07在中央党校函授学院法律专业学习）"),
        ("2008-03", "2012-05", "泸溪县委组织部组织室副主任、主任"),  # a wrapped line joined
        ("2012-05", "2018-05", "泸溪县委组织部干部室主任"),
        ("2018-05", "2020-01", "泸溪县委组织部副部长"),
        ("2020-01", "", "泸溪县委组织部常务副部长\n"
                        "（其间：2021.03—2021.07在湖南省委党校中青年干部培训班学习）"),
    ]


def test_family_members_marked_deceased_are_flagged(parse):
    r = parse("deceased_family.lrmx")
    father, mother, wife = r["family"]
    assert father["is_deceased"] and father["work_unit_and_post"] == "已故"
    # "张桂兰（已故）" in the name column: the mark leaves the name.
    assert mother["name"] == "张桂兰" and mother["is_deceased"]
    assert mother["work_unit_and_post"] == "已故"
    assert not wife["is_deceased"]


def test_a_lower_case_x_in_the_id_number_is_accepted_and_upper_cased(parse):
    r = parse("lowercase_x.lrmx")
    assert r["person"]["id_number"] == "43312219880808006X"
    assert r["person"]["birth_date"] == "1988-08-08"


def test_a_democratic_party_in_the_party_date_sets_the_political_status(parse):
    r = parse("democratic_party.lrmx")
    assert r["person"]["political_status"] == "05"  # 民盟
    assert r["person"]["party_join_date"] is None
    assert r["uncertain"] == []


def test_annual_results_are_split_per_year_and_the_rest_is_reported(parse):
    r = parse("annual_results.lrmx")
    assert [(a["year"], a["result"]) for a in r["assessments"]] == [
        (2021, "2"), (2022, "2"), (2023, "1")]
    assert "2020年度因病未参加考核" in r["extras"]["NianDuKaoHeJieGuo_unparsed"]
    assert [u["field"] for u in r["uncertain"]] == ["NianDuKaoHeJieGuo"]


def test_reward_sentences_become_records_and_undated_text_is_kept(parse):
    r = parse("rewards_text.lrmx")
    assert [(x["kind"], x["date"], x["title"], x["issuer"], x["reason"]) for x in r["rewards"]] \
        == [("reward", "2015-01-01", "获县人民政府嘉奖", "", ""),
            ("reward", "2019-01-01", "被评为全县优秀共产党员", "", ""),
            ("punishment", "2021-06-01", "党内警告处分", "中共泸溪县纪律检查委员会",
             "违反工作纪律")]
    assert r["extras"]["JiangChengQingKuang_unparsed"] == "多次受到表彰"
    reasons = {u["text"]: u["reason"] for u in r["uncertain"]}
    assert "1月" in reasons["2015年获县人民政府嘉奖"]
    assert "多次受到表彰" in reasons


@pytest.mark.parametrize("name,field,words", [
    ("truncated.lrmx", "", "不完整"),
    ("wrong_root.lrmx", "", "Cadre"),
    ("bad_check_char.lrmx", "ShenFenZheng", "校验码"),
    ("bad_month.lrmx", "ChuShengNianYue", "202313"),
])
def test_a_malformed_file_is_refused_naming_file_and_field(db, lrmx_file, name, field, words):
    with pytest.raises(LrmxError) as info:
        parse_lrmx(lrmx_file(name), name)
    assert [f for f, _m in info.value.problems] == [field]
    message = info.value.messages()[0]
    assert message.startswith(name)
    assert words in message
    if field:
        assert f"（{field}）" in message


def test_malformed_file_messages_are_in_chinese(db, lrmx_file):
    from django.utils import translation

    with translation.override("zh-hans"):
        with pytest.raises(LrmxError) as info:
            parse_lrmx(lrmx_file("bad_month.lrmx"), "bad_month.lrmx")
        message = info.value.messages()[0]
    assert "出生年月（ChuShengNianYue）" in message
    assert "不是有效的日期" in message


def test_an_xml_entity_bomb_is_refused_without_expanding(db):
    bomb = (b'<?xml version="1.0"?><!DOCTYPE Person [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Person><XingMing>&b;</XingMing>'
            b'</Person>')
    with pytest.raises(LrmxError) as info:
        parse_lrmx(bomb, "bomb.lrmx")
    assert "DTD" in info.value.messages()[0]
