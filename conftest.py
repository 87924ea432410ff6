"""Test set-up shared by every app: settings guard, the fixed cast, helpers.

The cast (DESIGN.md): head, deputy, section chief, cadre, cadre of another section,
outsider from another county, supervision officer, assessment office and the three
administrators. It is built through the services, exactly as the product builds it.
"""

import datetime as dt
import os
from dataclasses import dataclass

import pytest

os.environ.setdefault("ZUGONG_TESTING", "1")


def pytest_configure(config):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if os.environ.get("CI") and os.environ.get("ZUGONG_REQUIRE_POSTGRES") == "1":
        assert "postgresql" in engine, "CI asked for PostgreSQL but DATABASE_URL is not set"


@dataclass
class Cast:
    province: object
    dept: object
    sec_org: object
    sec_cadre: object
    sec_sup: object
    county_unit: object
    other_dept: object
    other_section: object
    people: dict
    users: dict

    def __getitem__(self, name):
        return self.users[name]


PASSWORD = "Cast#Pass2026"  # noqa: S105 - test accounts only


def make_person(unit, name, *, born=dt.date(1985, 3, 14), sex="1", seq=None,
                category="org_cadre", post="", **extra):
    from zugong.people import idnumber, services

    make_person.counter = getattr(make_person, "counter", 100) + 2
    seq = seq if seq is not None else make_person.counter + (1 if sex == "1" else 0)
    data = {
        "category": category, "name": name, "sex": sex, "birth_date": born, "unit": unit,
        "id_number": idnumber.make("433122", born, seq % 1000), "phone": f"139{seq:08d}",
        "current_post": post, "ethnicity": "01", "political_status": "01",
    }
    data.update(extra)
    return services.person_create(by=None, data=data)


def today():
    """The department's date, read when a test runs rather than when its module is imported:
    a run that crosses midnight in Asia/Shanghai (16:00 UTC) otherwise compares against a
    stale date (seen in CI: "tomorrow" posted as the new today and accepted)."""
    from django.utils import timezone

    return timezone.localdate()


def yesterday():
    return today() - dt.timedelta(days=1)


def build_cast():
    from zugong.people import services
    from zugong.people.models import Role, Scope, UnitKind

    # ID numbers of the cast come from a counter: start it afresh so that every test sees
    # the same numbers, whatever ran before.
    make_person.counter = 100
    uc = services.unit_create
    province = uc(by=None, parent=None, name="湖南省委组织部", kind=UnitKind.ORG_DEPT, code="43")
    dept = uc(by=None, parent=province, name="泸溪县委组织部", kind=UnitKind.ORG_DEPT,
              code="433122")
    sec_org = uc(by=None, parent=dept, name="组织室", kind=UnitKind.SECTION, code="433122-02")
    sec_cadre = uc(by=None, parent=dept, name="干部室", kind=UnitKind.SECTION, code="433122-03")
    sec_sup = uc(by=None, parent=dept, name="干部监督室", kind=UnitKind.SECTION,
                 code="433122-04")
    county_unit = uc(by=None, parent=dept, name="县教育局", kind=UnitKind.COUNTY_UNIT,
                     code="433122-U01")
    other_dept = uc(by=None, parent=province, name="凤凰县委组织部", kind=UnitKind.ORG_DEPT,
                    code="433123")
    other_section = uc(by=None, parent=other_dept, name="组织室", kind=UnitKind.SECTION,
                       code="433123-02")

    people = {
        "head": make_person(dept, "向明远", post="部长", born=dt.date(1972, 5, 1)),
        "deputy": make_person(dept, "杨秀英", sex="2", post="副部长", born=dt.date(1978, 8, 9)),
        "chief": make_person(sec_org, "张建国", post="组织室主任"),
        "cadre": make_person(sec_org, "李小红", sex="2", post="科员", born=dt.date(1994, 2, 28)),
        "cadre2": make_person(sec_cadre, "王磊", post="科员", born=dt.date(1992, 11, 3)),
        "supervisor": make_person(sec_sup, "刘芳", sex="2", post="干部监督室主任"),
        "assessor": make_person(sec_cadre, "陈刚", post="考核办主任"),
        "managed": make_person(county_unit, "田志强", category="managed", post="局长"),
        "outsider": make_person(other_section, "龙海", post="组织室主任"),
    }
    grants = {
        "head": (Role.HEAD, Scope.OWN_UNIT_AND_BELOW, dept, ()),
        "deputy": (Role.DEPUTY, Scope.CUSTOM, None, (sec_org, county_unit)),
        "chief": (Role.SECTION_CHIEF, Scope.OWN_UNIT, None, ()),
        "cadre": (Role.CADRE, Scope.SELF, None, ()),
        "cadre2": (Role.CADRE, Scope.SELF, None, ()),
        "supervisor": (Role.SUPERVISION, Scope.OWN_UNIT_AND_BELOW, dept, ()),
        "assessor": (Role.ASSESSMENT, Scope.OWN_UNIT_AND_BELOW, dept, ()),
        "outsider": (Role.HEAD, Scope.OWN_UNIT_AND_BELOW, other_dept, ()),
    }
    users = {}
    for name, (role, scope, unit, units) in grants.items():
        user, _pw = services.account_create(by=None, username=name, person=people[name],
                                            password=PASSWORD, must_change=False)
        services.role_grant(by=None, user=user, role=role, scope=scope, unit=unit,
                            units=list(units))
        users[name] = user
    for name, role in (("sysadmin", Role.SYSADMIN), ("secadmin", Role.SECADMIN),
                       ("auditor", Role.AUDITOR)):
        user, _pw = services.account_create(by=None, username=name, password=PASSWORD,
                                            must_change=False)
        services.role_grant(by=None, user=user, role=role, scope=Scope.ALL)
        users[name] = user
    return Cast(province, dept, sec_org, sec_cadre, sec_sup, county_unit, other_dept,
                other_section, people, users)


# ---------------------------------------------------------------- shared data layers
#
# Building the cast through the services takes a good share of a second, the demo several
# seconds. Each is built once per run (per xdist worker) inside an outer transaction, and
# every test's own transaction (pytest-django's ``db``) nests in it as a savepoint that is
# rolled back afterwards. Only one layer is open at a time:
#
# * "demo": tests that request ``people_demo`` (the people demo, shared by the demo tests);
# * "cast": tests that request ``cast``;
# * none: every other database test sees an empty database, as before.
#
# A test that needs the database in a different shape rolls the open layer back first;
# ``pytest_collection_modifyitems`` orders the tests by layer so that this happens rarely.
# Transactional tests (``django_db(transaction=True)``, ``transactional_db``) run with no
# layer open (they flush the database) and build their own cast if they ask for one.


class _Layers:
    name = None  # the open layer
    atomic = None
    value = None
    counter = None  # make_person.counter right after the cast was built


def _build_demo():
    from zugong.people.demo import build_demo

    return build_demo(seed=0)


def _close_layer(blocker):
    if _Layers.atomic is None:
        return
    from django.db import transaction

    with blocker.unblock():
        transaction.set_rollback(True)
        _Layers.atomic.__exit__(None, None, None)
    _Layers.name = _Layers.atomic = _Layers.value = _Layers.counter = None


def _open_layer(blocker, name):
    if _Layers.name == name:
        return
    _close_layer(blocker)
    from django.db import transaction

    with blocker.unblock():
        atomic = transaction.atomic()
        # A test case's own block, as Django marks those: a service's block inside it is
        # the logical transaction (the audit chain appends before that one "commits").
        atomic._from_testcase = True
        atomic.__enter__()
        _Layers.name, _Layers.atomic = name, atomic
        try:
            _Layers.value = build_cast() if name == "cast" else _build_demo()
            _Layers.counter = getattr(make_person, "counter", None)
        except BaseException:
            _close_layer(blocker)
            raise


def _is_transactional(item, fixturenames):
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction")
                               or marker.kwargs.get("reset_sequences")):
        return True
    return bool({"transactional_db", "live_server", "django_db_reset_sequences"}
                & set(fixturenames))


def _layer_of(item):
    names = getattr(item, "fixturenames", ())
    if _is_transactional(item, names):
        return None
    if "people_demo" in names:
        return "demo"
    if "cast" in names:
        return "cast"
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_fixture_setup(fixturedef, request):
    """Open (or roll back) the shared layer just before a test's own transaction starts.

    The live server (session-scoped, set up before the test's transaction) is started with
    no layer open: it shares the database connection with its thread, which would find the
    layer's transaction half-open."""
    if fixturedef.argname == "live_server":
        _close_layer(request.getfixturevalue("django_db_blocker"))
        return
    if fixturedef.argname != "_django_db_helper":
        return
    blocker = request.getfixturevalue("django_db_blocker")
    wanted = _layer_of(request.node)
    if wanted is None:
        _close_layer(blocker)
    else:
        _open_layer(blocker, wanted)


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config):
    """``-n N`` distributes with ``--dist loadgroup`` (unless told otherwise), so that the
    tests sharing the demo run on one worker and the demo is built once."""
    if getattr(config.option, "numprocesses", None) and config.option.dist == "no":
        config.option.dist = "loadgroup"


def _own_node_id(item):
    """Schemathesis makes one item per API operation, named ``test[METHOD /path]``, and
    sets the operation into ``_nodeid``, which pytest 9 no longer reads (it keeps a
    structured ``_id``): every item then has the function's node id, and xdist, which
    schedules by node id, ran one operation of 83. The operation goes into the id."""
    if "[" not in item.name or "[" in item.nodeid:
        return
    from _pytest.nodeid import coerce_node_id  # pytest ≥ 9; pinned in uv.lock

    item._id = coerce_node_id(f"{item.nodeid}[{item.name.split('[', 1)[1]}")


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(config, items):
    """Run the tests of one layer together (stable otherwise), and the demo tests on one
    xdist worker (``--dist loadgroup``)."""
    order = {None: 0, "cast": 1, "demo": 2}
    for item in items:
        _own_node_id(item)
        if _layer_of(item) == "demo":
            item.add_marker(pytest.mark.xdist_group("demo"))
    items.sort(key=lambda item: order[_layer_of(item)])


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session):
    from pytest_django.plugin import blocking_manager_key

    if blocking_manager_key in session.config.stash and _Layers.atomic is not None:
        _close_layer(session.config.stash[blocking_manager_key])


def _refetched_cast(built):
    """The shared cast as fresh instances (no cached roles or related objects survive a
    test), read back by primary key."""
    from zugong.people.models import OrgUnit, Person, User

    unit_names = ("province", "dept", "sec_org", "sec_cadre", "sec_sup", "county_unit",
                  "other_dept", "other_section")
    units = OrgUnit.objects.in_bulk([getattr(built, n).pk for n in unit_names])
    people = Person.objects.in_bulk([p.pk for p in built.people.values()])
    users = User.objects.in_bulk([u.pk for u in built.users.values()])
    return Cast(*(units[getattr(built, n).pk] for n in unit_names),
                people={k: people[p.pk] for k, p in built.people.items()},
                users={k: users[u.pk] for k, u in built.users.items()})


@pytest.fixture
def cast(request, db):
    if _Layers.name != "cast":  # a transactional test: its own cast, flushed afterwards
        return build_cast()
    make_person.counter = _Layers.counter
    return _refetched_cast(_Layers.value)


@pytest.fixture
def people_demo(db):
    """The people demo (``build_demo(seed=0)``), built once and shared; returns its result.

    Tests that ask for it run on one xdist worker; whatever they write is rolled back."""
    assert _Layers.name == "demo", "the demo layer is not open"
    return _Layers.value


@pytest.fixture(autouse=True)
def _fresh_django_cache():
    """Each test starts with an empty local cache (the shared layers outlive a test)."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    for cache in caches.all():
        if isinstance(cache, LocMemCache):
            cache.clear()


@pytest.fixture
def client_for(client):
    """Log a cast member in (or nobody, for "anonymous") and return the test client."""

    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_code_table_cache():
    """Each test reads the code tables of its own database state."""
    from zugong.core.dictionaries import invalidate_cache

    invalidate_cache()
    yield
    invalidate_cache()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends with Django's flush, which deletes every row.

    * On SQLite the flush deletes row by row, which the audit tables' append-only triggers
      (core migration 0006) refuse, as they would any DELETE: only here, between tests,
      are they lifted for the flush and put back. PostgreSQL flushes with TRUNCATE, which
      row triggers do not see.
    * The flush also empties the national code tables that a data migration loaded
      (core 0003); they are loaded again so that later tests find them.
    """
    if not _is_transactional(item, getattr(item, "fixturenames", ())):
        yield
        return
    from django.db import connection
    from pytest_django.plugin import blocking_manager_key

    from zugong.core.tests.tamper import triggers_dropped

    blocker = item.config.stash[blocking_manager_key]
    dropped = None
    if connection.vendor == "sqlite":
        with blocker.unblock():
            dropped = triggers_dropped()
            dropped.__enter__()
    try:
        yield
    finally:
        # After the last test the test database itself is gone: nothing to put back.
        if nextitem is not None:
            with blocker.unblock():
                if dropped is not None:
                    dropped.__exit__(None, None, None)
                from zugong.core.dictionaries import invalidate_cache, load_dictionaries
                from zugong.core.models import DictItem

                if not DictItem.objects.exists():
                    load_dictionaries()
                    invalidate_cache()
