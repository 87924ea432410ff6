"""The plug-in registry: the menu, person tabs, URLs, API routers, demo builders, jobs and the
capability table all come from the apps' plugin declarations, not from central lists."""

import ast
import pathlib

import pytest
from django.urls import NoReverseMatch, reverse

from zugong.core import registry
from zugong.core.registry import Job, NavEntry, PersonTab, Plugin

ROOT = pathlib.Path(__file__).resolve().parents[3]
FEATURE_APPS = ("learning", "talks", "assessment", "tasks", "interop", "supervision",
               "partylife", "ability", "service", "projects", "care", "talent", "reports",
               "portrait")


@pytest.fixture
def extra_plugin(monkeypatch):
    """An extra installed app, as if a new folder had been added to INSTALLED_APPS."""
    plugin = Plugin(
        capabilities={"demoapp.view": "read the demo app"},
        grants={"cadre": frozenset({"demoapp.view"})},
        nav=(NavEntry("notices", "演示应用", "demoapp.view", order=35),),
        person_tab=PersonTab("demoapp", "演示", "notice_open", "demoapp.view", order=15),
        demo="zugong.core.tests.test_registry.demo_build",
        demo_order=5,
        jobs=(Job("demoapp_nightly", "zugong.core.tests.test_registry.demo_job",
                  {"hour": "3", "minute": "0"}),),
        hooks={"demoapp.echo": "zugong.core.tests.test_registry.demo_echo"},
    )
    real = registry.plugins()
    monkeypatch.setattr(registry, "plugins", lambda: [*real, ("demoapp", plugin)])
    registry.clear_caches()
    yield plugin
    registry.clear_caches()


def demo_build(*, seed=0):
    return f"demo built with seed {seed}"


def demo_job():
    return "ran"


def demo_echo(value):
    return value


def test_every_zugong_app_is_a_plugin():
    labels = [label for label, _plugin in registry.plugins()]
    assert labels == ["core", "people", "console", "learning", "interop", "talks",
                      "assessment", "tasks", "supervision", "partylife", "ability",
                      "service", "projects", "care", "talent", "reports", "portrait"]


def test_the_menu_is_the_apps_entries_in_order():
    names = [entry.url_name for entry in registry.nav_entries()]
    assert names[:7] == ["home", "people:list", "people:units", "learning:home", "talks:home",
                         "assessment:home", "tasks:mine"]
    assert names[-3:] == ["console:dictionaries", "console:jobs", "console:audit"]


def test_a_new_apps_menu_entry_shows_to_users_holding_its_capability(extra_plugin, cast,
                                                                     client):
    client.force_login(cast["cadre"])
    assert "演示应用" in client.get("/notices/").content.decode()
    client.force_login(cast["auditor"])
    assert "演示应用" not in client.get("/notices/").content.decode()


def test_the_person_page_tabs_come_from_the_registry(extra_plugin, cast, client):
    assert [tab.key for tab in registry.person_tabs()] == [
        "learning", "demoapp", "assessment", "tasks", "talks", "supervision", "ability",
        "partylife",
        "service", "care", "portrait", "history"]
    client.force_login(cast["head"])
    page = client.get(f"/people/{cast.people['cadre'].pk}/").content.decode()
    for tab in registry.person_tabs():
        if tab.key != "demoapp":  # the head is not granted the demo capability
            assert f'id="tab-{tab.key}"' in page
    assert 'id="tab-demoapp"' not in page
    client.force_login(cast["cadre"])
    page = client.get(f"/people/{cast.people['cadre'].pk}/").content.decode()
    assert 'id="tab-demoapp"' in page


def test_grants_from_a_new_app_join_the_capability_table(extra_plugin, cast):
    from zugong.people.access import has_cap

    assert "demoapp.view" in registry.role_caps()["cadre"]
    assert has_cap(cast["cadre"], "demoapp.view")
    assert not has_cap(cast["head"], "demoapp.view")


def test_every_grant_names_a_declared_capability_and_a_known_role():
    from zugong.people.models import Role

    assert registry.check_grants(Role.values) == []


def test_an_undeclared_capability_or_unknown_role_is_reported(monkeypatch):
    bad = Plugin(grants={"emperor": frozenset({"nothing.declared"})})
    real = registry.plugins()
    monkeypatch.setattr(registry, "plugins", lambda: [*real, ("bad", bad)])
    problems = registry.check_grants(["head"])
    assert any("unknown role 'emperor'" in p for p in problems)
    assert any("'nothing.declared' is not declared" in p for p in problems)


def test_every_apps_url_prefix_and_api_router_are_mounted():
    from zugong.config.api import api

    for prefix, module in registry.url_modules():
        assert any(p.pattern.describe().startswith(f"'{prefix}'") for p in _root_patterns()), (
            prefix, module)
    mounted = {id(router) for _prefix, router in api._routers}
    assert all(id(router) in mounted for router in registry.api_routers())
    assert reverse("learning:home") == "/learning/"
    assert reverse("console:audit") == "/system/audit/"


def _root_patterns():
    from zugong.config import urls

    return urls.urlpatterns


def test_the_url_and_api_roots_name_no_app():
    """config/urls.py and config/api.py loop over the registry: adding an app edits neither."""
    for name in ("urls.py", "api.py"):
        tree = ast.parse((ROOT / "zugong" / "config" / name).read_text())
        imported = {node.module for node in ast.walk(tree)
                    if isinstance(node, ast.ImportFrom) and node.module}
        assert not {m for m in imported for app in FEATURE_APPS if f"zugong.{app}" in m}, name


def test_demo_builders_come_from_the_registry_in_order(extra_plugin):
    builders = registry.demo_builders()
    assert builders[0] is demo_build
    names = [f"{b.__module__}.{b.__name__}" for b in builders[1:]]
    assert names == ["zugong.learning.demo.build", "zugong.talks.demo.build",
                     "zugong.assessment.demo.build", "zugong.tasks.demo.build",
                     "zugong.supervision.demo.build", "zugong.partylife.demo.build",
                     "zugong.ability.demo.build", "zugong.service.demo.build",
                     "zugong.care.demo.build", "zugong.talent.demo.build",
                     "zugong.projects.demo.build", "zugong.console.demo.build"]


def test_jobs_come_from_the_registry_and_are_scheduled_with_huey(extra_plugin):
    from huey import MemoryHuey

    huey = MemoryHuey(immediate=True)
    saved = dict(registry.SCHEDULED)
    registry.SCHEDULED.clear()
    try:
        names = registry.schedule_jobs(huey)
        assert "demoapp_nightly" in names
        assert {"audit_verify", "learning_reminders", "tasks_stocktake"} <= set(names)
        scheduled = {task.__name__ for task in huey._registry._periodic_tasks}
        assert "demoapp_nightly" in scheduled
    finally:
        registry.SCHEDULED.clear()
        registry.SCHEDULED.update(saved)


def test_a_hook_reaches_another_app_without_an_import(extra_plugin):
    assert registry.hook("demoapp.echo")("x") == "x"
    assert registry.hook("nobody.offers.this") is None
    assert registry.hook("assessment.everyday_note").__name__ == "everyday_note_add"


def test_an_app_without_a_subnav_entry_for_a_capability_hides_it(cast, client):
    """Sub-navigation items with a capability show only to holders (learning's copy checks)."""
    client.force_login(cast["cadre"])
    page = client.get(reverse("learning:home")).content.decode()
    assert reverse("learning:records") in page
    assert reverse("learning:copies") not in page
    client.force_login(cast["chief"])
    assert reverse("learning:copies") in client.get(reverse("learning:home")).content.decode()


def test_removing_a_plugin_removes_its_parts(monkeypatch):
    real = [(label, plugin) for label, plugin in registry.plugins() if label != "talks"]
    monkeypatch.setattr(registry, "plugins", lambda: real)
    assert "talks:home" not in [e.url_name for e in registry.nav_entries()]
    assert "talks" not in [t.key for t in registry.person_tabs()]
    assert "talks_reminders" not in [j.name for j in registry.jobs()]
    with pytest.raises(NoReverseMatch):
        reverse("nothing:here")


def test_the_person_page_buttons_come_from_the_registry(cast, client):
    """The printed-form and LRMX buttons are interop's person_actions: shown to a holder of
    its export capability, not to a cadre, and no template loads interop's tags."""
    assert [a.url_name for a in registry.person_actions()] == [
        "interop:form_pdf", "interop:form_docx", "interop:person_lrmx"]
    person = cast.people["cadre"]
    client.force_login(cast["head"])
    page = client.get(f"/people/{person.pk}/").content.decode()
    for action in registry.person_actions():
        assert reverse(action.url_name, args=[person.pk]) in page
    client.force_login(cast["cadre"])
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert reverse("interop:person_lrmx", args=[person.pk]) not in page
    people_templates = ROOT / "zugong" / "people" / "templates"
    assert not [p for p in people_templates.rglob("*.html") if "load interop" in p.read_text()]


def test_a_page_reverses_its_fixed_addresses_once_per_process(cast, client_for, monkeypatch):
    """The menu, the sub-navigation and the base layout's links are kept per process
    (``registry.address``); only the signed-in person's own record is reversed per page."""
    import django.urls

    client = client_for(cast["chief"])
    page = reverse("learning:records")
    client.get(page)  # the first page reverses and keeps them
    names = []
    # ``{% url %}`` imports ``django.urls.reverse`` when it renders; the registry holds its own.
    for module in (django.urls, registry):
        real = module.reverse

        def counted(name, *args, real=real, **kwargs):
            names.append(name)
            return real(name, *args, **kwargs)
        monkeypatch.setattr(module, "reverse", counted)
    body = client.get(page).content.decode()
    kept = {"home", "notices", "settings", "password_change", "logout", "set_language",
            *(entry.url_name for entry in registry.subnav("learning")),
            *(entry.url_name for entry in registry.nav_entries())}
    assert not kept & set(names)
    # The kept addresses are the right ones.
    for name in ("home", "settings", "password_change", "logout", "set_language",
                 "learning:records"):
        assert f'="{django.urls.reverse(name)}"' in body
    # A different URL configuration is a different key (a test may switch it).
    assert registry.address("home") == django.urls.reverse("home")
