"""Person pickers (issue 16, point 5): people grouped by section, searchable by name and
pinyin initials, only the people the page may offer, and 请选择 as the empty choice."""

import re

from django.urls import reverse

from zugong.core.forms import pinyin_keys


def _select(page: str, name: str) -> str:
    match = re.search(rf'<select name="{name}".*?</select>', page, re.S)
    assert match, f"no select {name}"
    return match.group(0)


def test_a_name_is_found_by_its_pinyin_initials_and_its_full_pinyin():
    # 张建国: zhang jian guo -> initials zjg.
    assert pinyin_keys("张建国") == "张建国 zjg zhangjianguo"
    assert "lxh" in pinyin_keys("李小红")
    # 曾 reads zeng as a surname and ceng in words: both are offered.
    assert pinyin_keys("曾静") == "曾静 cj cengjing zj zengjing"


def test_the_task_lead_picker_groups_the_department_staff_by_section(cast, client_for):
    page = client_for(cast["head"]).get(reverse("tasks:task_add")).content.decode()
    lead = _select(page, "lead")
    assert "data-zg-picker" in lead
    assert '<option value="" selected>请选择</option>' in lead
    # The department's own unit first, then its sections in the tree's order.
    groups = re.findall(r'<optgroup label="([^"]+)">', lead)
    assert groups == ["泸溪县委组织部", "组织室", "干部室", "干部监督室"]
    assert re.search(r'data-search="张建国 zjg zhangjianguo"[^>]*>张建国</option>', lead)
    # The head's scope covers the county, but a task is led by the department's staff:
    # 田志强 of 县教育局 is a managed cadre, 龙海 is outside the scope.
    assert "田志强" not in lead and "龙海" not in lead
    assert "田志强" not in _select(page, "co_workers")


def test_a_cadre_hands_an_inquiry_only_to_the_department_staff(cast, client_for):
    page = client_for(cast["cadre"]).get(reverse("tasks:inquiries")).content.decode()
    handed = _select(page, "handled_by")
    assert "王磊" in handed and "向明远" in handed
    assert "田志强" not in handed and "龙海" not in handed


def test_the_talk_form_offers_colleagues_grouped_and_searchable(cast, client_for):
    page = client_for(cast["cadre"]).get(reverse("talks:talk_add")).content.decode()
    people = _select(page, "with_people")
    assert "data-zg-picker" in people and 'label="干部室"' in people
    assert 'data-search="王磊 wl wanglei' in people
    assert "李小红" not in people  # not oneself
    assert "田志强" not in people and "龙海" not in people
