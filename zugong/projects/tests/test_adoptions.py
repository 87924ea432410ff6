"""Adoption of information items by outlet level (M22, issue 20 point 6): recorded against
the learning app's information items and articles, by reference, with no double entry."""

import datetime as dt

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from zugong.core.audit import SYSTEM
from zugong.projects import selectors, services
from zugong.projects.models import Adoption, AdoptionLevel

DAY = dt.date(2026, 3, 2)


def writing(person, title, kind="info", on=DAY):
    return apps.get_model("learning", "Writing").objects.create(
        person=person, on=on, kind=kind, title=title, status="confirmed")


def test_a_leader_records_an_adoption_against_the_learning_record(cast, client):
    item = writing(cast.people["cadre"], "泸溪县推行组工干部全员信息员制度")
    writing(cast.people["cadre"], "学习心得", kind="reflection")  # not an information item
    url = reverse("projects:adoptions")
    client.force_login(cast["head"])
    form = client.get(url).context["form"]
    assert [label for _pk, label in form.fields["writing_id"].choices[1:]] == [
        "2026-03-02 李小红 · 泸溪县推行组工干部全员信息员制度"]
    response = client.post(url, {"writing_id": item.pk, "level": "provincial",
                                 "outlet": "湖南省委组织部《组工信息》", "on": "2026-03-10"})
    assert response.status_code == 302
    adoption = Adoption.objects.get()
    # The title lives in the learning record only; the adoption names it by id.
    assert (adoption.writing_id, adoption.person, adoption.level) == (
        item.pk, cast.people["cadre"], "provincial")
    assert not hasattr(adoption, "title")
    page = client.get(url).content.decode()
    assert f'href="/learning/records/writing/{item.pk}/"' in page
    assert "泸溪县推行组工干部全员信息员制度" in page
    twice = client.post(url, {"writing_id": item.pk, "level": "provincial",
                              "outlet": "湖南省委组织部《组工信息》", "on": "2026-03-10"})
    assert twice.status_code == 400 and Adoption.objects.count() == 1
    services.adoption_record(by=SYSTEM, writing_id=item.pk, level="national",
                             outlet="中组部《组工通讯》", on=DAY + dt.timedelta(days=20))
    counts = {level: n for level, _label, n in selectors.adoption_counts(user=cast["head"],
                                                                         year=2026)}
    assert counts == {"national": 1, "provincial": 1, "prefectural": 0, "city": 0,
                      "county": 0}


def test_an_item_out_of_the_department_or_a_cadre_recording_is_refused(cast, client):
    mine = writing(cast.people["cadre"], "基层党建信息")
    theirs = writing(cast.people["outsider"], "外县信息")
    client.force_login(cast["head"])
    refused = client.post(reverse("projects:adoptions"), {
        "writing_id": theirs.pk, "level": "city", "outlet": "州委组织部", "on": "2026-03-05"})
    assert refused.status_code == 400  # not among the choices: the same answer
    assert "外县信息" not in refused.content.decode()
    client.force_login(cast["cadre"])
    assert client.post(reverse("projects:adoptions"), {
        "writing_id": mine.pk, "level": "city", "outlet": "州委组织部",
        "on": "2026-03-05"}).status_code == 403
    with pytest.raises(ValidationError) as early:  # adopted before it was written
        services.adoption_record(by=cast["head"], writing_id=mine.pk, level="city",
                                 outlet="州委组织部", on=DAY - dt.timedelta(days=1))
    assert "on" in early.value.message_dict
    with pytest.raises(ValidationError) as foreign:
        services.adoption_record(by=cast["head"], writing_id=theirs.pk, level="city",
                                 outlet="州委组织部", on=DAY)
    assert foreign.value.message_dict == {"writing_id": ["请选择本部门的信息或文章。"]}
    assert Adoption.objects.count() == 0


def test_the_adoption_levels_are_the_learning_apps_outlet_levels():
    """An article's own level (learning) and its adoptions (here) read alike: 州（地）级
    included, in the same order."""
    field = apps.get_model("learning", "Writing")._meta.get_field("outlet_level")
    assert [v for v, _label in field.choices] == AdoptionLevel.values
    assert "prefectural" in AdoptionLevel.values


def test_a_prefectural_adoption_is_recorded_and_counted(cast):
    item = writing(cast.people["cadre"], "州委组织部采用的信息")
    services.adoption_record(by=cast["head"], writing_id=item.pk, level="prefectural",
                             outlet="湘西州委组织部《湘西组工》", on=DAY)
    counts = dict((v, n) for v, _label, n in selectors.adoption_counts(user=cast["head"],
                                                                       year=2026))
    assert counts["prefectural"] == 1 and sum(counts.values()) == 1
