"""The plug-in registry: what each Zugong app adds to the whole, declared in its own package.

An app is a plug-in. Its ``AppConfig`` subclasses :class:`ZugongApp`, and its module
``<app>/plugin.py`` holds ``PLUGIN``, a :class:`Plugin` naming its capabilities and role
grants, navigation entry and sub-navigation, person-page tab, URL modules and API router,
metrics, demo builder and scheduled jobs. Everything that used to be a central list (the
URL and API roots, the menu, the person page's tabs, ``zugong demo``, the worker's
schedule, the capability table) loops over :func:`plugins` instead, so adding an app is a
new folder and one line in ``INSTALLED_APPS`` (docs/architecture.md, "Adding an app").

Why a separate ``plugin.py`` rather than an attribute of the ``AppConfig``: app configs are
imported before any model, but a plugin names its capabilities from its ``access.py``, which
sits on the models. ``plugin.py`` is imported on first use, after every model is loaded
(the registry is first read in ``CoreConfig.ready``). Other parts are dotted paths
(``"zugong.learning.api:router"``) imported only when used, and ``core`` imports no app.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import AppConfig, apps
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.module_loading import import_string


def _load(path: str):
    """``"package.module:attr"`` (or a plain dotted path) to the object it names."""
    return import_string(path.replace(":", "."))


@dataclass(frozen=True)
class NavEntry:
    """One item of the top menu, or of an app's sub-navigation."""

    url_name: str
    label: str
    cap: str | None = None  # shown only to users holding it; None = every signed-in user
    order: int = 100
    key: str = ""  # the sub-navigation's ``section`` that marks the item active


@dataclass(frozen=True)
class PersonTab:
    """A tab of the person page, loaded by htmx from ``url_name`` (which takes the person id)."""

    key: str
    label: str
    url_name: str
    cap: str
    order: int = 100


@dataclass(frozen=True)
class Job:
    """A scheduled job: ``func`` (a dotted path to a function taking no argument, usually
    wrapped by :func:`zugong.core.jobs.recorded`) runs on the cron-like ``schedule``
    (``dict`` of huey ``crontab`` keyword arguments)."""

    name: str
    func: str
    schedule: dict


@dataclass(frozen=True)
class WorkbenchItem:
    """One line of the workbench (工作台), the home page of every role.

    ``section`` is "todo" (something waiting for the user: a count that links to the
    records behind it), "progress" (the user's own figures this month) or "figure" (a
    department headline for leaders). Items with a zero count are left out by the page.
    """

    key: str
    label: str
    count: int | str
    url: str
    section: str = "todo"
    due: object = None  # a date: the nearest deadline behind the count, when there is one
    order: int = 100


@dataclass(frozen=True)
class Plugin:
    """What one app contributes. Every field is optional."""

    # Capability key -> one-line description; grants: role key -> the capabilities it holds.
    capabilities: dict[str, str] = field(default_factory=dict)
    grants: dict[str, frozenset[str]] = field(default_factory=dict)
    nav: tuple[NavEntry, ...] = ()
    subnav: tuple[NavEntry, ...] = ()
    person_tab: PersonTab | None = None
    # Buttons in the person page's toolbar; each url_name takes the person id.
    person_actions: tuple[NavEntry, ...] = ()
    # (prefix, dotted URLconf module) pairs included under the site root, e.g.
    # ("learning/", "zugong.learning.urls").
    urls: tuple[tuple[str, str], ...] = ()
    api: str | None = None  # dotted path of a ninja Router mounted under /api/v1/
    metrics: str | None = None  # dotted path of an iterable of core.metrics.Metric
    demo: str | None = None  # dotted path of build(*, seed) -> summary or None
    demo_order: int = 100
    jobs: tuple[Job, ...] = ()
    # Named extension points other apps call without importing this one (see hook()).
    hooks: dict[str, str] = field(default_factory=dict)
    # How the audit log names this app's actions and values in Chinese
    # (core.audit_labels): "<app>.<entity>.<verb>" reads "<verb><entity>". ``audit_entities``
    # labels entities that are no model of the app ({"talks.summary": 谈话内容}),
    # ``audit_verbs`` verbs beyond the common ones ({"due": 到期}), ``audit_actions`` a
    # whole action whose composed label reads badly, and ``audit_fields`` value keys that
    # are no model field ({"talks.talk.with": 谈话对象}).
    audit_entities: dict[str, str] = field(default_factory=dict)
    audit_verbs: dict[str, str] = field(default_factory=dict)
    audit_fields: dict[str, str] = field(default_factory=dict)
    audit_actions: dict[str, str] = field(default_factory=dict)
    # Dotted path of items(*, user, today) -> iterable of WorkbenchItem: what this app puts
    # on the workbench, so the console shows every app's to-dos without importing any.
    workbench: str | None = None


def grants(*layers: tuple[Iterable[str], Iterable[str]]) -> dict[str, frozenset[str]]:
    """Role grants built up in layers: ``grants((everyone, {VIEW}), (leaders, {EDIT}))``
    gives leaders both capabilities."""
    merged: dict[str, set[str]] = {}
    for roles, caps in layers:
        for role in roles:
            merged.setdefault(str(role), set()).update(caps)
    return {role: frozenset(caps) for role, caps in merged.items()}


class ZugongApp(AppConfig):
    """Base of every Zugong app config; registers the app's metrics when Django is ready."""

    @property
    def plugin(self) -> Plugin:
        return _plugin_of(self.name)

    def ready(self):
        if self.plugin.metrics:
            from . import metrics

            metrics.register(*_load(self.plugin.metrics))


@functools.cache
def _plugin_of(app_name: str) -> Plugin:
    try:
        return import_string(f"{app_name}.plugin.PLUGIN")
    except ImportError as exc:
        if getattr(exc, "name", None) == f"{app_name}.plugin":
            return Plugin()  # an app without a plugin module contributes nothing
        raise


def plugins() -> list[tuple[str, Plugin]]:
    """(app label, plugin) of every installed Zugong app, in ``INSTALLED_APPS`` order."""
    return [(config.label, config.plugin) for config in apps.get_app_configs()
            if isinstance(config, ZugongApp)]


@functools.cache
def role_caps() -> dict[str, frozenset[str]]:
    """Role key -> every capability some app grants it (the merged capability table)."""
    merged: dict[str, set[str]] = {}
    for _label, plugin in plugins():
        for role, caps in plugin.grants.items():
            merged.setdefault(str(role), set()).update(caps)
    return {role: frozenset(caps) for role, caps in merged.items()}


def capabilities() -> dict[str, str]:
    return {key: text for _label, plugin in plugins() for key, text in plugin.capabilities.items()}


def nav_entries() -> list[NavEntry]:
    return sorted((entry for _label, plugin in plugins() for entry in plugin.nav),
                  key=lambda entry: entry.order)


def menu() -> tuple[tuple[NavEntry, str], ...]:
    """Every menu entry, in order, with its address (for the script prefix in use)."""
    return _menu(*_url_context())


def address(name: str) -> str:
    """``reverse(name)`` of an address without arguments, kept for the process: the
    menu, an app's sub-navigation and the base layout link a dozen of them on every page,
    and a compliance page hundreds of cells to the same list; a reverse costs tens of
    microseconds. The apps and the URL configuration are fixed once the process has
    started; the script prefix and the URL configuration in use are part of the key."""
    return _address(name, *_url_context())


def _url_context() -> tuple[str, str]:
    return get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF


@functools.lru_cache(maxsize=512)
def _address(name: str, _prefix: str, _urlconf: str) -> str:
    return reverse(name)


@functools.lru_cache(maxsize=8)
def _menu(prefix: str, urlconf: str) -> tuple[tuple[NavEntry, str], ...]:
    return tuple((entry, _address(entry.url_name, prefix, urlconf)) for entry in nav_entries())


def clear_caches() -> None:
    """Forget what is kept per process from the plugins (a test that installs one)."""
    role_caps.cache_clear()
    _address.cache_clear()
    _menu.cache_clear()
    _subnav.cache_clear()


def subnav(label: str) -> tuple[NavEntry, ...]:
    return apps.get_app_config(label).plugin.subnav


def subnav_addresses(label: str) -> tuple[tuple[NavEntry, str], ...]:
    """The app's sub-navigation entries with their addresses (kept, as the menu's)."""
    return _subnav(label, *_url_context())


@functools.lru_cache(maxsize=64)
def _subnav(label: str, prefix: str, urlconf: str) -> tuple[tuple[NavEntry, str], ...]:
    return tuple((entry, _address(entry.url_name, prefix, urlconf)) for entry in subnav(label))


def person_tabs() -> list[PersonTab]:
    return sorted((plugin.person_tab for _label, plugin in plugins() if plugin.person_tab),
                  key=lambda tab: tab.order)


def person_actions() -> list[NavEntry]:
    return sorted((action for _label, plugin in plugins() for action in plugin.person_actions),
                  key=lambda action: action.order)


def workbench_items(*, user, today) -> list[WorkbenchItem]:
    """Every app's workbench items for ``user``, in order."""
    items: list[WorkbenchItem] = []
    for _label, plugin in plugins():
        if plugin.workbench:
            items.extend(_load(plugin.workbench)(user=user, today=today))
    return sorted(items, key=lambda item: (item.order, item.key))


def url_modules() -> list[tuple[str, str]]:
    return [pair for _label, plugin in plugins() for pair in plugin.urls]


def api_routers() -> list:
    return [_load(plugin.api) for _label, plugin in plugins() if plugin.api]


def demo_builders() -> list[Callable]:
    """Each app's demo builder, in ``demo_order`` (the people app's department comes first)."""
    ordered = sorted((plugin for _label, plugin in plugins() if plugin.demo),
                     key=lambda plugin: plugin.demo_order)
    return [_load(plugin.demo) for plugin in ordered]


def jobs() -> list[Job]:
    return [job for _label, plugin in plugins() for job in plugin.jobs]


def hook(name: str) -> Callable | None:
    """The function some app offers under ``name`` (e.g. ``"assessment.everyday_note"``),
    or None when no installed app offers it. This is how one feature app calls another
    without importing it."""
    for _label, plugin in plugins():
        if name in plugin.hooks:
            return _load(plugin.hooks[name])
    return None


def hook_ids(ids):
    """A hook's ``person_ids`` argument as a filter value: a query of ids
    (``values("pk")``) as it is, so it stays a subquery (a county's 840 ids as a list
    are 840 parameters in each query), any other iterable as a list."""
    from django.db.models import QuerySet

    return ids if isinstance(ids, QuerySet) else list(ids)


@functools.cache
def audit_names() -> dict[str, dict[str, str]]:
    """Every plugin's audit labels, merged: "entities", "verbs", "actions" and "fields"
    (cached like the capability table: plugins are declared once)."""
    merged: dict[str, dict[str, str]] = {"entities": {}, "verbs": {}, "actions": {},
                                         "fields": {}}
    for _label, plugin in plugins():
        for kind, names in merged.items():
            names.update(getattr(plugin, f"audit_{kind}"))
    return merged


def schedule_jobs(huey=None) -> list[str]:
    """Register every app's jobs with the Huey consumer; returns their names.

    Called once from ``CoreConfig.ready``. The job function is imported when it runs, not
    here, so registering costs no app import.
    """
    from huey import crontab
    from huey.contrib.djhuey import HUEY, close_db

    huey = huey or HUEY
    for job in jobs():
        if job.name in SCHEDULED:
            continue

        def run(path=job.func):
            return _load(path)()

        run.__name__ = job.name
        SCHEDULED[job.name] = huey.periodic_task(crontab(**job.schedule),
                                                 name=job.name)(close_db(run))
    return list(SCHEDULED)


# Job name -> its Huey periodic task (calling one enqueues a run now).
SCHEDULED: dict = {}


def check_grants(known_roles: Iterable[str]) -> list[str]:
    """Problems in the declarations: a grant to an unknown role or of an undeclared
    capability (used by a system check and a test)."""
    declared = set(capabilities())
    roles = set(known_roles)
    problems = []
    for label, plugin in plugins():
        for role, caps in plugin.grants.items():
            if str(role) not in roles:
                problems.append(f"{label}: unknown role {role!r}")
            problems.extend(f"{label}: capability {cap!r} is not declared"
                            for cap in sorted(set(caps) - declared))
    return problems
