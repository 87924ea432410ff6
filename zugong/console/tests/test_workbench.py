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
