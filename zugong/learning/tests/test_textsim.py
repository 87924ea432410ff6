"""Character counts and copy detection for study notes (zugong.learning.textsim).

Plain functions, no database. The reflections below were written for these tests: A and
the independent C and D are honest notes on the same meeting; B is a copy of A.
"""

import difflib
import hashlib
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zugong.learning.textsim import (
    DEFAULT_THRESHOLD,
    Match,
    compare,
    containment,
    count_characters,
    find_copies,
    normalize,
    shingles,
)

# An honest reflection on the Third Plenary Session by a cadre of the organization department.
REFLECTION_A = "\n\n".join(
    [
        "学习贯彻党的二十届三中全会精神心得体会",
        "党的二十届三中全会审议通过了《中共中央关于进一步全面深化改革、"
        "推进中国式现代化的决定》。作为一名组织部门的干部，我通过集中学习、"
        "个人自学和科室研讨，逐字逐句研读了全会公报和《决定》原文，"
        "对新时代全面深化改革的目标任务有了更加清晰的认识。",
        "一是深刻认识全会的重大意义。全会系统擘画了进一步全面深化改革的总体部署，"
        "明确到二〇二九年中华人民共和国成立八十周年时，完成《决定》提出的改革任务。"
        "这让我体会到，改革只有进行时、没有完成时，组织工作必须主动服务和保障改革大局，"
        "不能就组织工作谈组织工作。",
        "二是聚焦干部队伍建设的改革要求。《决定》强调要坚持正确用人导向，"
        "完善干部考核评价体系，推进领导干部能上能下常态化。结合本职工作，"
        "我认为在日常考核中要把改革实绩作为识别干部的重要依据，既看显绩也看潜绩，让敢于担当、"
        "踏实干事的干部有舞台、有奔头。",
        "三是对照检查自身的差距和不足。回顾近一年的工作，我在调研时有时满足于听汇报、看材料，"
        "深入基层一线掌握干部真实情况还不够；在干部档案审核中，个别环节的把关还不够细致。"
        "今后我将把学习成果转化为改进作风的实际行动，每季度至少走访两个基层单位，"
        "面对面了解干部表现。",
        "四是坚持学用结合、知行合一。我将继续深入学习习近平新时代中国特色社会主义思想，"
        "把全会精神同推动本科室工作结合起来，在完善考核指标、规范选任程序、"
        "加强日常监督等方面提出具体建议，以实际成效检验学习效果，"
        "为全面从严治党和高质量发展贡献组织力量。",
    ]
)


# B: a new title, opening and closing around paragraphs 1-4 of A (its last one left out), with
# a few characters changed: 部门→系统, 逐字逐句→认真, 二〇二九→2029, 体会→认识, 本职→本岗位,
# 舞台→平台, 一年→半年, 至少走访两个→走访三个.
COPY_B = "\n\n".join(
    [
        "学习二十届三中全会精神的体会",
        "按照支部学习安排，近期我参加了党的二十届三中全会精神专题学习，现将个人学习体会报告如下。",
        "党的二十届三中全会审议通过了《中共中央关于进一步全面深化改革、"
        "推进中国式现代化的决定》。作为一名组织系统的干部，我通过集中学习、"
        "个人自学和科室研讨，认真研读了全会公报和《决定》原文，"
        "对新时代全面深化改革的目标任务有了更加清晰的认识。",
        "一是深刻认识全会的重大意义。全会系统擘画了进一步全面深化改革的总体部署，"
        "明确到2029年中华人民共和国成立八十周年时，完成《决定》提出的改革任务。这让我认识到，"
        "改革只有进行时、没有完成时，组织工作必须主动服务和保障改革大局，"
        "不能就组织工作谈组织工作。",
        "二是聚焦干部队伍建设的改革要求。《决定》强调要坚持正确用人导向，"
        "完善干部考核评价体系，推进领导干部能上能下常态化。结合本岗位工作，"
        "我认为在日常考核中要把改革实绩作为识别干部的重要依据，既看显绩也看潜绩，让敢于担当、"
        "踏实干事的干部有平台、有奔头。",
        "三是对照检查自身的差距和不足。回顾近半年的工作，我在调研时有时满足于听汇报、看材料，"
        "深入基层一线掌握干部真实情况还不够；在干部档案审核中，个别环节的把关还不够细致。"
        "今后我将把学习成果转化为改进作风的实际行动，每季度走访三个基层单位，"
        "面对面了解干部表现。",
        "总之，我将以这次学习为新的起点，不忘初心、牢记使命，"
        "切实把全会的各项部署落实到自己的岗位上，以实际行动践行对党的忠诚。",
    ]
)


# C and D: written independently on the same meeting, sharing only the official phrases.
# C: a cadre of the cadre-supervision section.
HONEST_C = "\n\n".join(
    [
        "学习二十届三中全会精神的几点体会",
        "七月以来，我利用晚上和周末时间通读了二十届三中全会公报，"
        "又跟随部机关读书班听了两次专题辅导。全会提出进一步全面深化改革、推进中国式现代化，"
        "给我印象最深的是“以钉钉子精神抓好改革落实”这句话。",
        "我在干部监督岗位工作了五年，过去常把监督理解为查问题、发通报。这次学习后我意识到，"
        "监督本身也要改革。比如个人有关事项报告，现在每年抽查核实的比例和方法基本沿用老办法，"
        "数据比对靠人工翻表格，效率低、容易漏。我打算向科里建议，"
        "与相关部门协商建立信息共享机制，减少干部重复填报，把精力用在发现真问题上。",
        "全会强调健全党和国家监督制度。我体会，干部监督不能只盯着出了问题的人，"
        "更要把功夫下在平时。今年我们试着把巡察反馈、信访举报和年度考核的信息放在一起分析，"
        "发现有两名干部的问题其实早有苗头，只是分散在不同的台账里，没有人串起来看。"
        "这件事让我很受触动。",
        "全面从严治党是党的自我革命。落到组织工作中，就是对干部既严格要求又真心关爱。"
        "去年我们在谈话函询中发现，有的同志因为不熟悉规定而漏报房产，并非有意隐瞒。"
        "对这类情况，应当区分性质、讲清政策，给予改正的机会，这也是“三个区分开来”的应有之义。",
        "学习中我也反思了自己。我对习近平新时代中国特色社会主义思想的学习还停留在读原文、"
        "记笔记，联系实际思考不多；写材料时习惯套用旧提法。下一步，我要坚持不忘初心、"
        "牢记使命，每月精读一篇重要讲话，结合监督工作中遇到的具体案例写一篇短评，"
        "真正做到学有所得、学以致用。",
    ]
)


# D: a cadre of the grassroots-organization section.
HONEST_D = "\n\n".join(
    [
        "深化改革要从基层组织建设抓起——学习全会精神的认识",
        "作为负责基层党建的干部，我参加了部里组织的二十届三中全会精神学习研讨，并到城关镇、"
        "河西乡的三个村做了调研。村党支部书记们最关心的，是全会关于发展新型农村集体经济、"
        "减轻基层负担的部署能不能真正落地。",
        "调研中，一位老支书告诉我，村里一年要填几十张表，很多内容重复，干部忙于应付检查，"
        "没时间入户。这让我认识到，进一步全面深化改革不是遥远的口号，"
        "而是要从解决这些具体烦恼入手。我们科准备对上报基层的各类表格做一次清理，"
        "能合并的合并，能取消的取消。",
        "习近平新时代中国特色社会主义思想为我们做好新时代组织工作指明了方向。我理解，"
        "组织工作的落脚点在基层，支部强不强，关键看书记。今后在村“两委”换届和日常管理中，"
        "要注重选拔懂经营、有威信的年轻党员，也要加强对现任书记的培训，让他们会带头致富、"
        "会化解矛盾。",
        "我还注意到，全会对激励干部担当作为提出了新要求。在基层，"
        "有的年轻干部刚到村里时热情很高，一两年后就想调走，原因是待遇低、上升通道窄。"
        "我建议在乡镇公务员招录和事业编制使用上，对长期在村工作、实绩突出的同志适当倾斜，"
        "让他们安心扎根。",
        "全面从严治党必须向基层延伸。少数村干部优亲厚友、处事不公，群众意见很大。"
        "我们要把基层小微权力监督作为重点，推动村务公开常态化。作为一名党员干部，"
        "我将始终不忘初心、牢记使命，多到村里走、多听群众说，"
        "把全会精神转化为一件件看得见的实事。",
    ]
)


# ---------------------------------------------------------------------------------------------
# Counting characters


def test_chinese_punctuation_and_book_title_marks_are_not_counted():
    assert count_characters("学习贯彻，二十届三中全会精神。") == 13
    assert count_characters("“不忘初心、牢记使命”（《决定》第3条）！") == 13
    assert count_characters("【注】——……·；：？") == 1


def test_each_latin_letter_and_each_digit_counts_once():
    assert count_characters("Python 3.11 和 Django 5.1") == 18
    assert count_characters("ＡＢＣ１２３") == 6  # full-width forms count like ordinary ones
    assert normalize("ＡＢＣ１２３ Def") == "abc123def"


def test_spaces_newlines_and_tabs_are_not_counted():
    assert count_characters("学习\n\t笔记 \r\n  一\n") == 5
    assert count_characters("   \n\n\t") == 0


def test_the_full_width_space_and_the_no_break_space_are_not_counted():
    assert count_characters("学习\u3000\u3000笔记") == 4
    assert count_characters("学\u00a0习") == 2


def test_zero_width_and_byte_order_characters_are_not_counted():
    assert count_characters("\ufeff学\u200b习\u200c笔\u200d记\u2060") == 4


def test_emoji_and_symbols_are_not_counted():
    assert count_characters("学习👍很好🇨🇳❤️👍🏽") == 4
    assert count_characters("1+1=2，￥100，★★★") == 6


def test_an_accent_counts_with_its_letter_not_on_its_own():
    assert count_characters("cafe\u0301") == 4  # NFKC merges e + accent into é
    assert count_characters("x\u0304") == 1  # no precomposed form: the mark is dropped


def test_the_empty_text_has_no_characters():
    assert count_characters("") == 0
    assert normalize("") == ""


def test_the_docstring_example_is_right():
    assert count_characters("学习 Python 3.11！") == 11
    assert count_characters("好❤️") == 1


def test_the_sample_reflections_have_about_six_hundred_characters():
    counts = [count_characters(t) for t in (REFLECTION_A, COPY_B, HONEST_C, HONEST_D)]
    assert counts == [578, 553, 571, 541]


# ---------------------------------------------------------------------------------------------
# Copies


def _normalized_similarity(x: str, y: str) -> float:
    return difflib.SequenceMatcher(None, normalize(x), normalize(y), autojunk=False).ratio()


def test_a_reflection_copying_most_of_another_with_a_few_changes_is_flagged():
    # 79% of A's characters reappear in B, and make up 83% of B.
    hits = find_copies(COPY_B, [("a", REFLECTION_A)], threshold=DEFAULT_THRESHOLD)
    assert [key for key, _ in hits] == ["a"]
    match = hits[0][1]
    assert DEFAULT_THRESHOLD <= match.score == pytest.approx(0.727, abs=0.001)
    assert match.passages
    for mine, theirs in match.passages:
        assert mine in COPY_B and theirs in REFLECTION_A  # as written, punctuation included
        assert _normalized_similarity(mine, theirs) >= 0.95


def test_a_few_changed_characters_do_not_split_the_copied_passage():
    passages = compare(COPY_B, REFLECTION_A).passages
    # The title phrase, then paragraphs 1-3 of A and most of 4 with seven changes inside as
    # one passage; "至少走访两个" -> "走访三个" is six characters apart, so the rest of the
    # sentence is a passage of its own.
    assert len(passages) == 3
    assert [theirs for _, theirs in passages[::2]] == [
        "党的二十届三中全会精神",
        "个基层单位，面对面了解干部表现",
    ]
    mine, theirs = passages[1]
    assert theirs.startswith("党的二十届三中全会审议通过了")
    assert theirs.endswith("转化为改进作风的实际行动，每季度")
    assert "逐字逐句" in theirs and "认真研读" in mine
    assert "二〇二九年" in theirs and "2029年" in mine
    assert "有舞台" in theirs and "有平台" in mine
    assert count_characters(mine) > 400


def test_passages_are_in_the_order_of_both_texts():
    match = compare(COPY_B, REFLECTION_A)
    mine_at = [COPY_B.index(mine) for mine, _ in match.passages]
    assert mine_at == sorted(mine_at)


def test_the_score_is_the_containment_of_the_shingles():
    for a, b in [(COPY_B, REFLECTION_A), (HONEST_C, HONEST_D), (REFLECTION_A, HONEST_C)]:
        assert compare(a, b).score == containment(shingles(a), shingles(b))


def test_containment_is_asymmetric_and_the_new_text_is_the_one_contained():
    b_in_a = compare(COPY_B, REFLECTION_A).score
    a_in_b = compare(REFLECTION_A, COPY_B).score
    assert b_in_a == pytest.approx(0.727, abs=0.001)
    assert a_in_b == pytest.approx(0.688, abs=0.001)


def test_honest_reflections_on_the_same_meeting_are_not_flagged():
    honest = {"a": REFLECTION_A, "c": HONEST_C, "d": HONEST_D}
    for name, text in honest.items():
        others = [(key, other) for key, other in honest.items() if key != name]
        assert find_copies(text, others, threshold=DEFAULT_THRESHOLD) == []
        for _, other in others:
            assert compare(text, other).score < 0.25
    # The official phrases are shared, and shown as passages, but are a small share.
    assert compare(HONEST_C, HONEST_D).score == pytest.approx(0.051, abs=0.001)
    shared = [mine for mine, _ in compare(HONEST_C, HONEST_D).passages]
    assert "习近平新时代中国特色社会主义思想" in shared
    assert "不忘初心、牢记使命" in shared


def test_a_text_compared_with_itself_scores_one():
    match = compare(REFLECTION_A, REFLECTION_A)
    assert match.score == 1.0
    # Passages run from the first counted character to the last: the final 。 is left out.
    assert match.passages == [(REFLECTION_A[:-1], REFLECTION_A[:-1])]


def test_a_copy_in_different_punctuation_spacing_and_width_still_scores_one():
    retyped = (
        REFLECTION_A.replace("，", ", ").replace("。", ".\n").replace("《", "<").replace("》", ">")
    )
    assert compare(retyped, REFLECTION_A).score == 1.0


def test_empty_and_short_texts_are_never_flagged():
    short = "不忘初心、牢记使命。"
    assert find_copies("", [(1, REFLECTION_A)], threshold=DEFAULT_THRESHOLD) == []
    assert find_copies(short, [(1, short + "全面从严治党。")], threshold=DEFAULT_THRESHOLD) == []
    assert find_copies(REFLECTION_A, [(1, ""), (2, short)], threshold=DEFAULT_THRESHOLD) == []
    assert compare(REFLECTION_A, "").score == 0.0
    assert compare("", REFLECTION_A) == Match(score=0.0, passages=[])


def test_min_chars_decides_what_is_too_short_to_judge():
    short = "学习二十届三中全会精神，不忘初心、牢记使命。"
    assert find_copies(short, [("x", short)], threshold=0.5) == []
    hits = find_copies(short, [("x", short)], threshold=0.5, min_chars=10)
    assert [(key, match.score) for key, match in hits] == [("x", 1.0)]


def test_hits_come_best_first_and_keep_their_keys():
    half = "\n\n".join(REFLECTION_A.split("\n\n")[:3])
    candidates = [
        (("honest", 3), HONEST_C),
        (("part", 2), half),
        (("whole", 1), REFLECTION_A),
        (("copy", 4), COPY_B),
    ]
    hits = find_copies(COPY_B, candidates, threshold=0.3)
    assert [key for key, _ in hits] == [("copy", 4), ("whole", 1), ("part", 2)]
    scores = [match.score for _, match in hits]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] == 1.0


def test_candidates_may_be_a_generator_and_keys_of_any_type():
    key = object()
    hits = find_copies(COPY_B, ((k, t) for k, t in [(key, REFLECTION_A)]), threshold=0.5)
    assert hits[0][0] is key


def test_a_threshold_outside_zero_to_one_or_a_gram_length_below_one_is_refused():
    with pytest.raises(ValueError):
        find_copies(REFLECTION_A, [], threshold=1.5)
    with pytest.raises(ValueError):
        shingles(REFLECTION_A, k=0)


# ---------------------------------------------------------------------------------------------
# Shingles


def test_shingles_are_blake2b_hashes_of_the_normalized_five_grams():
    def h(gram: str) -> int:
        return int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=8).digest(), "big")

    assert shingles("组织工作，全面从严治党") == {
        h(g)
        for g in [
            "组织工作全",
            "织工作全面",
            "工作全面从",
            "作全面从严",
            "全面从严治",
            "面从严治党",
        ]
    }
    assert shingles("学习。") == {h("学习")}  # shorter than k: one shingle for the whole
    assert shingles(" 。\n") == set()


# ---------------------------------------------------------------------------------------------
# Properties

_hashes = st.sets(st.integers(min_value=0, max_value=2**64 - 1), max_size=50)
# Text that exercises normalization: combining marks, composing vowel signs, Hangul jamo,
# full-width and compatibility forms, alongside ordinary Chinese.
_tricky = st.text(
    st.one_of(
        st.characters(),
        st.sampled_from("党的组织工作，。、“”（）《》\u3000\u200b\ufeff\ufe0f\u20e3👍"),
        st.characters(min_codepoint=0x0300, max_codepoint=0x036F),
        st.characters(min_codepoint=0x1100, max_codepoint=0x11FF),
        st.characters(min_codepoint=0xFF00, max_codepoint=0xFFEF),
        st.sampled_from("\u09be\u0b3e\u0bbe\u0cd5\u102e\u3150\uff9e"),
    )
)


@given(_tricky)
def test_the_count_is_the_length_of_the_normalized_text(text):
    assert count_characters(text) == len(normalize(text))


@given(_tricky)
def test_normalizing_piece_by_piece_equals_nfkc_of_the_whole_text(text):
    whole = unicodedata.normalize("NFKC", text)
    expected = "".join(
        c.lower() if len(c.lower()) == 1 else c for c in whole if unicodedata.category(c)[0] in "LN"
    )
    assert normalize(text) == expected


@given(_hashes, _hashes)
def test_containment_is_between_zero_and_one(a, b):
    assert 0.0 <= containment(a, b) <= 1.0


@given(_hashes.filter(bool))
def test_a_set_is_wholly_contained_in_itself(a):
    assert containment(a, a) == 1.0


@given(_tricky, st.integers(min_value=1, max_value=8))
def test_shingles_are_the_same_on_every_call(text, k):
    assert shingles(text, k=k) == shingles(text, k=k)
    assert containment(shingles(text, k=k), shingles(text, k=k)) == (
        1.0 if normalize(text) else 0.0
    )


@given(_tricky, _tricky)
def test_passages_are_pieces_of_the_texts_as_written(a, b):
    for mine, theirs in compare(a, b).passages:
        assert mine in a and theirs in b
        assert count_characters(mine) >= 8 and count_characters(theirs) >= 8


@given(
    _tricky,
    _tricky,
    st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=8),
)
def test_a_shared_piece_of_eight_characters_is_shown_as_a_passage(before, after, shared):
    assert compare(before + shared + after, after + shared + before).passages
