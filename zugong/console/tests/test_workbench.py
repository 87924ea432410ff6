"""The workbench (工作台): every role's home page gathers the apps' to-dos as counts that
link, my learning this month, and the department's figures for leaders (issue 16, point 3)."""

from django.urls import reverse
from django.utils import timezone

from zugong.core import registry
from zugong.learning import services as learning


def _home(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def test_every_app_contributes_its_items_through_the_registry(cast):
    providers = {label for label, plugin in registry.plugins() if plugin.workbench}
    assert {"learning", "tasks", "assessment", "interop"} <= providers


def test_a_chief_sees_the_records_waiting_for_confirmation_as_a_link(cast, client_for):
    today = timezone.localdate()
    learning.regime_create(by=cast["head"], department=cast.dept, name="", preset="luxi",
                           valid_from=today.replace(day=1))
    learning.record_create(by=cast["cadre"], kind="study", person=cast.people["cadre"],
                           data={"on": today, "hours": 2, "topic": "自学"})
    response = _home(client_for(cast["chief"]))
    todos = {t.key: t for t in response.context["summary"]["todos"]}
    assert todos["learning.pending"].count == 1
    body = response.content.decode()
    assert f'{reverse("learning:records")}?status=pending' in body
    # The cadre sees their own progress this month, in the rule's unit.
    cadre_page = _home(client_for(cast["cadre"]))
    progress = cadre_page.context["summary"]["progress"]
    assert progress and 'id="workbench-progress"' in cadre_page.content.decode()
    assert all("/" in str(p.count) for p in progress)


def test_leaders_see_the_department_figures_and_cadres_do_not(cast, client_for):
    assert 'id="stat-people"' in _home(client_for(cast["head"])).content.decode()
    cadre = _home(client_for(cast["cadre"])).content.decode()
    assert 'id="stat-people"' not in cadre and 'id="workbench-todos"' in cadre


def test_a_checked_import_waits_on_the_workbench(cast, client_for):
    from zugong.interop import services as interop

    interop.batch_store(by=cast["head"], records=[], unit=None, category="managed",
                        kind="lrmx", name="a.lrmx")
    todos = {t.key: t for t in _home(client_for(cast["head"])).context["summary"]["todos"]}
    assert todos["interop.preview"].count == 1


def test_administrators_get_no_workbench(cast, client_for):
    body = _home(client_for(cast["auditor"])).content.decode()
    assert 'id="workbench-todos"' not in body


def test_a_chief_sees_the_talks_she_owes_coming_due_as_a_link(cast, client_for):
    from zugong.talks import services as talks
    from zugong.talks.models import Relation

    # One talk a month with each cadre of the section, reminded 31 days ahead: whatever
    # today's date, the month's talk with 李小红 (组织室's one cadre) is coming due.
    talks.rule_add(by=cast["head"], department=cast.dept, relation=Relation.CHIEF_SECTION,
                   threshold=1, period="month", remind_days=31)
    todos = {t.key: t for t in _home(client_for(cast["chief"])).context["summary"]["todos"]}
    assert todos["talks.due"].count == 1
    assert todos["talks.due"].url == reverse("talks:coverage")
    # The cadre owes nobody a talk.
    cadre = {t.key for t in _home(client_for(cast["cadre"])).context["summary"]["todos"]}
    assert "talks.due" not in cadre


def test_an_inquiry_handed_to_me_is_a_to_do_until_it_is_closed(cast, client_for):
    from zugong.tasks import services as tasks

    today = timezone.localdate()
    tasks.inquiry_add(by=cast["cadre2"], channel="phone", received_on=today, inquirer="群众",
                      question="党员组织关系转接", handled_by=cast.people["cadre"],
                      due=today)
    todos = {t.key: t for t in _home(client_for(cast["cadre"])).context["summary"]["todos"]}
    assert todos["tasks.inquiries"].count == 1
    assert todos["tasks.inquiries"].url == reverse("tasks:inquiries")
    # Handed on, it is no longer the receiver's to answer.
    receiver = {t.key for t in _home(client_for(cast["cadre2"])).context["summary"]["todos"]}
    assert "tasks.inquiries" not in receiver


def test_a_finished_import_shows_on_the_workbench_and_opens_its_batch(cast, client_for):
    from zugong.interop import services as interop
    from zugong.interop.models import ImportBatch

    batch = interop.batch_store(by=cast["head"], records=[], unit=None, category="managed",
                                kind="lrmx", name="a.lrmx")
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.IMPORTED)
    todos = {t.key: t for t in _home(client_for(cast["head"])).context["summary"]["todos"]}
    assert todos["interop.imported"].count == 1 and "interop.preview" not in todos
    assert todos["interop.imported"].url == reverse("interop:preview", args=[batch.pk])


def test_leaders_headline_figures_are_links_to_the_records_behind_them(cast, client_for):
    from zugong.talks import services as talks
    from zugong.talks.models import Relation

    talks.rule_add(by=cast["head"], department=cast.dept, relation=Relation.CHIEF_SECTION,
                   threshold=1, period="year")
    talks.term_create(by=cast["head"], department=cast.dept, name="本届",
                      start=timezone.localdate().replace(month=1, day=1),
                      end=timezone.localdate().replace(year=timezone.localdate().year + 4))
    response = _home(client_for(cast["head"]))
    figures = {f.key: f for f in response.context["summary"]["figures"]}
    assert figures["talks.coverage"].url == reverse("talks:coverage")
    assert "/" in figures["talks.coverage"].count
    body = response.content.decode()
    assert f'href="{reverse("talks:coverage")}" data-key="talks.coverage"' in body
    # A cadre leads nobody: no department figures.
    cadre = _home(client_for(cast["cadre"])).context["summary"]
    assert not cadre.get("figures")
