"""The accounts page (issue 16, point 5): an account is linked by picking a name, the
linked person shows, and 解锁 is offered only on a locked account."""

import re

from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from conftest import make_person
from zugong.people.models import User


def _row(page: str, username: str) -> str:
    match = re.search(rf"<tr>\s*<td[^>]*>{username}\b.*?</tr>", page, re.S)
    assert match, username
    return match.group(0)


def test_the_linked_person_shows_and_unlock_is_offered_only_when_locked(cast, client_for):
    # Five failures (the lockout limit) within the cool-off lock 王磊's account.
    AccessAttempt.objects.create(username="cadre2", ip_address="127.0.0.1", user_agent="t",
                                 attempt_time=timezone.now(), failures_since_start=5,
                                 get_data="", post_data="", http_accept="", path_info="/")
    page = client_for(cast["secadmin"]).get(reverse("people:accounts")).content.decode()
    locked, free = _row(page, "cadre2"), _row(page, "cadre")
    assert "王磊" in locked and "干部室" in locked and "已锁定" in locked
    assert "/unlock/" in locked
    assert "李小红" in free and "/unlock/" not in free and "已锁定" not in free
    assert "未关联" in _row(page, "auditor")


def test_a_new_account_is_linked_by_picking_a_cadre_without_one(cast, client_for):
    people = _people(cast)
    client = client_for(cast["sysadmin"])
    page = client.get(reverse("people:accounts")).content.decode()
    picker = re.search(r'<select name="person".*?</select>', page, re.S).group(0)
    assert "data-zg-picker" in picker and 'data-search="曾静 cj cengjing zj zengjing"' in picker
    # Those who already have an account, and managed cadres, are not offered.
    assert "李小红" not in picker and "田志强" not in picker and "龙海" not in picker
    response = client.post(reverse("people:accounts"),
                           {"username": "zengjing", "person": people["new"].pk})
    assert response.status_code == 302
    assert User.objects.get(username="zengjing").person == people["new"]


def test_linking_someone_who_already_has_an_account_is_refused_in_chinese(cast, client_for):
    response = client_for(cast["sysadmin"]).post(
        reverse("people:accounts"), {"username": "again", "person": cast.people["cadre"].pk})
    assert response.status_code == 200
    assert "请选择一名尚无账号的组工干部。" in response.content.decode()
    assert not User.objects.filter(username="again").exists()


def _people(cast):
    return {"new": make_person(cast.sec_cadre, "曾静", sex="2", post="科员")}
