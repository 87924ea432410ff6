"""The demo department: valid synthetic people, one login per role, departments apart.

Building the demo takes several seconds, so it is built once per run and shared by the
tests that need the full data (the ``people_demo`` fixture in conftest.py); the others use
the cheap paths.
"""

import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import call_command

from zugong.core.audit import audit_verify
from zugong.core.models import AuditEntry, DictItem, DictTable
from zugong.people import idnumber, selectors
from zugong.people.demo import ALL_ORIGIN_CODES, DEMO_PASSWORD, MARKER_CODE, build_demo
from zugong.people.models import OrgUnit, Person, PersonCategory, Role, Scope, UnitKind, User
from zugong.people.services import unit_create

pytestmark = pytest.mark.django_db

EXPECTED_ROLES = {
    "head": (Role.HEAD, Scope.OWN_UNIT_AND_BELOW),
    "deputy": (Role.DEPUTY, Scope.CUSTOM),
    "chief": (Role.SECTION_CHIEF, Scope.OWN_UNIT),
    "cadre": (Role.CADRE, Scope.SELF),
    "cadre2": (Role.CADRE, Scope.SELF),
    "supervisor": (Role.SUPERVISION, Scope.OWN_UNIT_AND_BELOW),
    "assessor": (Role.ASSESSMENT, Scope.OWN_UNIT_AND_BELOW),
    "fh_head": (Role.HEAD, Scope.OWN_UNIT_AND_BELOW),
    "hb_head": (Role.HEAD, Scope.OWN_UNIT_AND_BELOW),
    "sysadmin": (Role.SYSADMIN, Scope.ALL),
    "secadmin": (Role.SECADMIN, Scope.ALL),
    "auditor": (Role.AUDITOR, Scope.ALL),
}


def _eighteenth(born):
    try:
        return born.replace(year=born.year + 18)
    except ValueError:
        return born.replace(year=born.year + 18, day=28)


def _visible(username):
    user = User.objects.get(username=username)
    return list(selectors.person_list(user=user).select_related("unit"))


def _check_people():
    people = list(Person.objects.select_related("sex", "unit").prefetch_related(
        "resume", "family", "assessments__result"))
    ids = [p.id_number for p in people]
    assert len(ids) == len(set(ids)), "two people share an ID number"
    divisions = set(DictItem.objects.filter(table=DictTable.DIVISION)
                    .values_list("code", flat=True))
    assert set(ALL_ORIGIN_CODES) <= divisions
    today = dt.date.today()
    for p in people:
        assert idnumber.problems(p.id_number, birth_date=p.birth_date,
                                 sex_code=p.sex.code) == [], p.name
        assert p.id_number[:6] in divisions
        assert 25 <= p.age_on(today) <= 58, (p.name, p.birth_date)
        assert p.work_start_date >= _eighteenth(p.birth_date)
        assert p.party_join_date is None or p.party_join_date >= _eighteenth(p.birth_date)
        assert p.phone.isdigit() and len(p.phone) == 11
        resume = list(p.resume.all())
        assert 2 <= len(resume) <= 5
        assert resume[-1].end is None, "the last résumé line is the current post"
        assert resume[1].start == p.work_start_date
        for earlier, later in zip(resume, resume[1:], strict=False):
            assert earlier.end is not None and earlier.end <= later.start
        assert 2 <= len(p.family.all()) <= 4
        years = [a.year for a in p.assessments.all()]
        assert all(today.year - 3 <= y < today.year for y in years)
    results = Counter(a.result.code for p in people for a in p.assessments.all())
    assert results.most_common(1)[0][0] == "2", "most cadres are rated 称职"
    return people


def _dept_people(code):
    dept = OrgUnit.objects.get(code=code)
    return Person.objects.filter(unit_path__startswith=dept.path)


def test_the_demo_builds_valid_people_one_login_per_role_and_keeps_departments_apart(people_demo):
    # The demo is built once per run and shared (conftest.py); this is its first build.
    result = people_demo
    assert result.created

    _check_people()
    luxi = _dept_people(MARKER_CODE)
    assert 30 <= luxi.filter(category=PersonCategory.ORG_CADRE).count() <= 34
    assert 280 <= luxi.filter(category=PersonCategory.MANAGED).count() <= 320
    for code in ("433123-ZZB", "610902-ZZB"):
        small = _dept_people(code)
        assert 6 <= small.filter(category=PersonCategory.ORG_CADRE).count() <= 10
        assert 25 <= small.filter(category=PersonCategory.MANAGED).count() <= 35
    assert result.managed_cadres == Person.objects.filter(category="managed").count()
    towns = set(OrgUnit.objects.filter(kind=UnitKind.TOWN, code__startswith="433122-")
                .values_list("name", flat=True))
    assert {"武溪镇", "浦市镇", "兴隆场镇", "解放岩乡", "小章乡"} <= towns

    # One login per role, each with its role and scope and the published password.
    assert [a.username for a in result.accounts] == list(EXPECTED_ROLES)
    for username, (role, scope) in EXPECTED_ROLES.items():
        user = User.objects.get(username=username)
        assert [(a.role, a.scope) for a in user.roles.all()] == [(role, scope)]
        assert user.check_password(DEMO_PASSWORD)
        assert not user.must_change_password
        assert (user.person_id is None) == (role in (Role.SYSADMIN, Role.SECADMIN,
                                                     Role.AUDITOR))

    # Departments are apart: nobody sees another department's people.
    luxi_path = OrgUnit.objects.get(code=MARKER_CODE).path
    fh_path = OrgUnit.objects.get(code="433123-ZZB").path
    hb_path = OrgUnit.objects.get(code="610902-ZZB").path
    fh_seen = _visible("fh_head")
    assert fh_seen and all(p.unit_path.startswith(fh_path) for p in fh_seen)
    hb_seen = _visible("hb_head")
    assert hb_seen and all(p.unit_path.startswith(hb_path) for p in hb_seen)
    head_seen = _visible("head")
    assert all(p.unit_path.startswith(luxi_path) for p in head_seen)
    assert len(head_seen) == luxi.count()

    # Narrower scopes: the section chief sees his section, the deputy his two sections,
    # a cadre only himself.
    chief = User.objects.get(username="chief")
    chief_seen = _visible("chief")
    assert chief.person.unit.name == "组织室"
    assert {p.unit_id for p in chief_seen} == {chief.person.unit_id}
    assert len(chief_seen) == Person.objects.filter(unit=chief.person.unit).count()
    deputy = User.objects.get(username="deputy")
    sections = set(deputy.roles.get().units.values_list("name", flat=True))
    assert len(sections) == 2
    assert {p.unit.name for p in _visible("deputy")} == sections
    cadre = User.objects.get(username="cadre")
    assert cadre.person.unit.name == "组织室"
    assert [p.pk for p in _visible("cadre")] == [cadre.person_id]
    assert User.objects.get(username="cadre2").person.unit.name == "干部室"
    assert User.objects.get(username="supervisor").person.unit.name == "干部监督室"

    # Every write went through the services: the audit chain holds and covers them.
    created = AuditEntry.objects.filter(action="people.person.create").count()
    assert created == Person.objects.count()
    assert audit_verify().ok

    # A second run finds the demo and changes nothing.
    people, entries = Person.objects.count(), AuditEntry.objects.count()
    again = build_demo(seed=0)
    assert not again.created
    assert again.rows == result.rows
    assert (Person.objects.count(), AuditEntry.objects.count()) == (people, entries)


def test_building_the_demo_twice_builds_it_once():
    unit_create(by=None, parent=None, name="泸溪县委组织部", kind=UnitKind.ORG_DEPT,
                code=MARKER_CODE)
    result = build_demo(seed=0)
    assert not result.created
    assert Person.objects.count() == 0
    assert result.accounts == []


def test_the_demo_command_prints_the_logins_without_serving():
    unit_create(by=None, parent=None, name="泸溪县委组织部", kind=UnitKind.ORG_DEPT,
                code=MARKER_CODE)
    buffer = io.StringIO()
    call_command("demo", "--no-serve", stdout=buffer)
    out = buffer.getvalue()
    assert DEMO_PASSWORD in out
    assert "http://127.0.0.1:8000" in out
