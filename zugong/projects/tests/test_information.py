"""好信息 without double entry (M22, issue 20 point 6): a good-information idea names one of
the cadre's information items already recorded in the learning app, by id; its title and
text are never typed here, and an item is submitted once."""

import datetime as dt

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from zugong.projects import services
from zugong.projects.models import Idea

DAY = dt.date(2026, 3, 2)


def writing(person, title, kind="info", on=DAY):
    return apps.get_model("learning", "Writing").objects.create(
        person=person, on=on, kind=kind, title=title, status="confirmed")


def test_a_cadre_submits_her_learning_information_item_as_good_information(cast, client):
    item = writing(cast.people["cadre"], "某镇推行“党员积分制”的做法")
    writing(cast.people["cadre"], "一篇文章", kind="article")  # not an information item
    writing(cast.people["cadre2"], "王磊的信息")  # someone else's
    url = reverse("projects:ideas")
    client.force_login(cast["cadre"])
    form = client.get(url).context["form"]
    # Only her own information items are offered: nothing to type again.
    assert [label for _pk, label in form.fields["writing_id"].choices[1:]] == [
        "2026-03-02 · 某镇推行“党员积分制”的做法"]
    response = client.post(url, {"kind": "info", "writing_id": item.pk})
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert (idea.kind, idea.writing_id, idea.title, idea.content, idea.person) == (
        "info", item.pk, "", "", cast.people["cadre"])
    # The list and the idea's page read the title from the learning record and link to it.
    assert "某镇推行“党员积分制”的做法" in client.get(url).content.decode()
    page = client.get(reverse("projects:idea", args=[idea.pk])).content.decode()
    assert f'href="/learning/records/writing/{item.pk}/"' in page
    # Once submitted, the item is no longer offered, and submitting it again is refused.
    assert client.get(url).context["form"].fields["writing_id"].choices[1:] == []
    with pytest.raises(ValidationError) as twice:
        services.idea_submit(by=cast["cadre"], kind="info", writing_id=item.pk)
    assert twice.value.message_dict == {"writing_id": ["该信息已报送。"]}
    assert Idea.objects.count() == 1
    # A leader still rates, adopts and rewards it here.
    done = services.idea_review(by=cast["head"], idea=idea, version=idea.version, score=90,
                                on=timezone.localdate(), adopted=True, adopted_for="部务会采纳",
                                reward="200")
    assert done.status == "adopted"


def test_good_information_must_be_ones_own_learning_information_item(cast, client):
    article = writing(cast.people["cadre"], "一篇文章", kind="article")
    theirs = writing(cast.people["cadre2"], "王磊的信息")
    message = {"writing_id": ["请选择本人学习记录中的信息。"]}
    for writing_id in (None, article.pk, theirs.pk, 999999):
        with pytest.raises(ValidationError) as exc:
            services.idea_submit(by=cast["cadre"], kind="info", title="再录一遍",
                                 content="正文", writing_id=writing_id)
        assert exc.value.message_dict == message
    client.force_login(cast["cadre"])
    bad = client.post(reverse("projects:ideas"), {"kind": "info", "title": "再录一遍",
                                                  "content": "正文"})
    assert bad.status_code == 400 and "请选择本人学习记录中的信息。" in bad.content.decode()
    # A good idea or proposal is still typed, and needs its title and content.
    missing = client.post(reverse("projects:ideas"), {"kind": "idea"})
    assert missing.status_code == 400
    assert set(missing.context["form"].errors) == {"title", "content"}
    assert Idea.objects.count() == 0
