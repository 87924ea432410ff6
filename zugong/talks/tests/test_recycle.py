"""Deleting talks and visits: into the recycle bin with their parties, follow-ups and
problems, out of the lists and the figures, back whole; who may, and the visit guard."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse

from zugong.core import metrics, recycle
from zugong.core.models import AuditEntry, RecycledRecord
from zugong.people.models import Person, PersonCategory
from zugong.talks import events, services
from zugong.talks.models import FollowUp, Talk, TalkParty, Visit, VisitProblem

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 2)
HELD = metrics.get("talks.held")
VISITS = metrics.get("talks.visits")
RAISED = metrics.get("talks.problems_raised")


def _figure(metric, person) -> int:
    return metric.totals(people=[person.pk], start=DAY, end=DAY).get((person.pk, None), 0)


def _talk(cast, by="chief", summary="谈家庭困难和工作打算"):
    return services.talk_record(by=cast[by], with_people=[cast.people["cadre"]], held_on=DAY,
                                kind="heart", summary=summary,
                                follow_ups=[{"text": "协调子女入学", "owner": cast.people[by],
                                             "due_on": dt.date(2026, 4, 1)}])


def _visit(cast):
    return services.visit_record(by=cast["head"], person=cast.people["managed"],
                                 visitors=[cast.people["head"], cast.people["deputy"]],
                                 kind="tour", on=DAY, place="县教育局", findings="班子团结",
                                 problems=[{"text": "编制紧张"}, {"text": "校舍老化"}])


def _entry(model, pk):
    return RecycledRecord.objects.get(model=model, object_pk=str(pk))


def test_a_deleted_talk_leaves_the_list_and_the_figures_and_comes_back_whole(cast, client):
    talk = _talk(cast)
    pk = talk.pk
    chief = cast.people["chief"]
    assert _figure(HELD, chief) == 1
    client.force_login(cast["chief"])
    listing = reverse("talks:list")
    assert reverse("talks:talk", args=[pk]) in client.get(listing).content.decode()

    page = client.get(reverse("talks:talk", args=[pk])).content.decode()
    delete_url = reverse("talks:talk_delete", args=[pk])
    assert delete_url in page
    assert "回收站" in client.get(delete_url).content.decode()
    response = client.post(delete_url, follow=True)
    assert "谈话已移入回收站" in response.content.decode()
    assert not Talk.objects.filter(pk=pk).exists()
    assert not TalkParty.objects.filter(talk_id=pk).exists()
    assert reverse("talks:talk", args=[pk]) not in client.get(listing).content.decode()
    assert _figure(HELD, chief) == 0
    # The audit entry records who took part, never the summary; so does the bin's label.
    deleted = AuditEntry.objects.get(action=events.TALK_DELETE)
    assert (deleted.object_id, deleted.actor) == (str(pk), cast["chief"])
    assert deleted.before["with"] == [cast.people["cadre"].pk]
    assert "谈家庭" not in str(deleted.before) + str(deleted.after) + _entry("talks.talk", pk).label

    # The head (who manages talks over the chief's section) restores it, audited.
    client.force_login(cast["head"])
    response = client.post(reverse("console:recycle_restore",
                                   args=[_entry("talks.talk", pk).pk]), follow=True)
    assert "已恢复" in response.content.decode()
    back = Talk.objects.get(pk=pk)
    assert back.summary == "谈家庭困难和工作打算"
    assert list(TalkParty.objects.filter(talk=back).values_list("person_id", flat=True)) == [
        cast.people["cadre"].pk]
    assert FollowUp.objects.get(talk=back).text == "协调子女入学"
    assert _figure(HELD, chief) == 1
    restored = AuditEntry.objects.get(action=recycle.RESTORE)
    assert (restored.object_type, restored.object_id, restored.actor) == (
        "talks.talk", str(pk), cast["head"])


def test_the_summary_waits_in_the_bin_encrypted(cast):
    talk = _talk(cast)
    services.talk_delete(by=cast["chief"], talk=talk)
    with connection.cursor() as cursor:
        cursor.execute("SELECT payload, label FROM core_recycledrecord")
        payload, label = cursor.fetchone()
    assert "谈家庭" not in payload and "谈家庭" not in label


def test_who_may_delete_a_talk(cast, client):
    """The chief held it: the chief, and the head and the deputy (who manage talks over the
    chief's section), may delete it; the cadre, a party, may not (403); another county's
    head sees nothing (404)."""
    expected = {"cadre": 403, "supervisor": 403, "cadre2": 404, "outsider": 404,
                "head": 302, "deputy": 302, "chief": 302}
    seen = {}
    for name in expected:
        talk = _talk(cast)
        client.force_login(cast[name])
        seen[name] = client.post(reverse("talks:talk_delete", args=[talk.pk])).status_code
    assert seen == expected
    # Seven talks, three deleted (head, deputy, chief).
    assert Talk.objects.count() == 7 - 3


def test_the_api_deletes_a_talk(cast, client):
    talk = _talk(cast)
    url = f"/api/v1/talks/{talk.pk}"
    client.force_login(cast["cadre"])  # a party, not the one who held it
    assert client.delete(url).status_code == 403
    client.force_login(cast["chief"])
    assert client.delete(url).status_code == 204
    assert client.delete(url).status_code == 404


def test_a_deleted_visit_leaves_the_figures_and_comes_back_with_visitors_and_problems(
        cast, client):
    visit = _visit(cast)
    pk = visit.pk
    head, managed = cast.people["head"], cast.people["managed"]
    # One visit for each of the two visitors; two problems raised on the visited cadre.
    assert (_figure(VISITS, head), _figure(RAISED, managed)) == (1, 2)
    client.force_login(cast["deputy"])
    delete_url = reverse("talks:visit_delete", args=[pk])
    assert delete_url in client.get(reverse("talks:visit", args=[pk])).content.decode()
    client.post(delete_url)
    assert not Visit.objects.filter(pk=pk).exists()
    assert not VisitProblem.objects.filter(visit_id=pk).exists()
    assert (_figure(VISITS, head), _figure(RAISED, managed)) == (0, 0)
    assert AuditEntry.objects.get(action=events.VISIT_DELETE).object_id == str(pk)

    client.force_login(cast["head"])
    client.post(reverse("console:recycle_restore", args=[_entry("talks.visit", pk).pk]))
    back = Visit.objects.get(pk=pk)
    assert sorted(back.visitors.values_list("pk", flat=True)) == sorted(
        [head.pk, cast.people["deputy"].pk])
    assert back.findings == "班子团结"
    assert (_figure(VISITS, head), _figure(RAISED, managed)) == (1, 2)


def test_a_visit_does_not_come_back_once_the_cadre_is_no_longer_managed(cast, client):
    visit = _visit(cast)
    pk = visit.pk
    services.visit_delete(by=cast["head"], visit=visit)
    Person.objects.filter(pk=cast.people["managed"].pk).update(
        category=PersonCategory.ORG_CADRE)
    client.force_login(cast["head"])
    response = client.post(reverse("console:recycle_restore",
                                   args=[_entry("talks.visit", pk).pk]), follow=True)
    assert "不再是管理的干部" in response.content.decode()
    assert not Visit.objects.filter(pk=pk).exists()


def test_a_visit_is_not_deleted_by_whom_may_not_record_it(cast, client):
    visit = _visit(cast)
    url = reverse("talks:visit_delete", args=[visit.pk])
    for name, status in (("supervisor", 403), ("chief", 404), ("outsider", 404)):
        client.force_login(cast[name])
        assert client.post(url).status_code == status, name
    assert Visit.objects.filter(pk=visit.pk).exists()
