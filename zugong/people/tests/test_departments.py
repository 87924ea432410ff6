"""Starting a department in an empty installation: the service and `zugong setup-department`."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import make_person
from zugong.core.models import AuditEntry
from zugong.people.access import Cap, has_cap, scope_q
from zugong.people.models import OrgUnit, Person, Role, Scope, UnitKind, User
from zugong.people.services import (
    account_create,
    department_head_link,
    department_setup,
    role_grant,
)


def _sysadmin():
    user, _pw = account_create(by=None, username="sys1")
    role_grant(by=None, user=user, role=Role.SYSADMIN, scope=Scope.ALL)
    return user


@pytest.mark.django_db
def test_the_system_administrator_starts_a_department_with_sections_and_a_head():
    admin = _sysadmin()
    made = department_setup(by=admin, name="某某县委组织部", code="433199", region="433122",
                            sections=["组织室", "干部室"], head_username="bz")
    dept = made.department
    assert dept.is_root() and dept.kind == UnitKind.ORG_DEPT and dept.department_id == dept.pk
    assert dept.region.name == "泸溪县"
    assert [(s.code, s.name, s.department_id) for s in made.sections] == [
        ("43319901", "组织室", dept.pk), ("43319902", "干部室", dept.pk)]
    head = User.objects.get(username="bz")
    assert head.check_password(made.password) and head.must_change_password
    assignment = head.roles.get()
    assert (assignment.role, assignment.scope, assignment.unit_id) == (
        Role.HEAD, Scope.OWN_UNIT_AND_BELOW, dept.pk)
    # The head can work on the new department straight away: its units are in scope.
    assert OrgUnit.objects.filter(scope_q(head, Cap.UNITS_CHANGE, kind="unit")).count() == 3
    assert AuditEntry.objects.filter(action="people.department.setup", actor=admin).exists()


@pytest.mark.django_db
def test_a_bad_setup_leaves_nothing_behind_and_names_each_field():
    admin = _sysadmin()
    account_create(by=None, username="taken")
    with pytest.raises(ValidationError) as info:
        department_setup(by=admin, name="", code="4331", region="999999",
                         sections=["组织室", "组织室"], head_username="taken")
    assert set(info.value.message_dict) == {"name", "region", "sections", "head_username"}
    assert not OrgUnit.objects.exists()


@pytest.mark.django_db
def test_only_the_setup_capability_starts_a_department(cast):
    assert has_cap(cast["sysadmin"], Cap.DEPARTMENTS_CREATE)
    for member in ("head", "secadmin", "auditor", "cadre"):
        with pytest.raises(PermissionDenied):
            department_setup(by=cast[member], name="X", code="X1")


@pytest.mark.django_db
def test_the_head_account_is_linked_to_a_person_of_the_department_only():
    admin = _sysadmin()
    made = department_setup(by=admin, name="某某县委组织部", code="4399", sections=["组织室"],
                            head_username="bz")
    other = department_setup(by=admin, name="另一县委组织部", code="4398")
    stranger = make_person(other.department, "王五")
    with pytest.raises(ValidationError):
        department_head_link(by=admin, department=made.department, user=made.head,
                             person=stranger)
    # Refetched: the second root renumbered the first one's path.
    head_person = make_person(OrgUnit.objects.get(code="439901"), "张三")
    department_head_link(by=admin, department=made.department, user=made.head,
                         person=head_person)
    made.head.refresh_from_db()
    assert made.head.person == head_person
    with pytest.raises(ValidationError):  # linked once; a second link is refused
        department_head_link(by=admin, department=made.department, user=made.head,
                             person=head_person)


@pytest.mark.django_db
def test_the_command_starts_a_department_and_links_its_head(capsys):
    call_command("setup_department", "--name", "某某县委组织部", "--code", "4397",
                 "--region", "433122", "--section", "组织室", "--section", "干部室",
                 "--head", "buzhang")
    out = capsys.readouterr().out
    assert "4397 某某县委组织部: created" in out and "buzhang: head · initial password" in out
    assert OrgUnit.objects.get(code="4397").is_root()
    assert OrgUnit.objects.filter(code__startswith="4397").count() == 3
    person = make_person(OrgUnit.objects.get(code="439701"), "李四")
    call_command("setup_department", "--code", "4397", "--link-head", "李四")
    assert User.objects.get(username="buzhang").person == person
    with pytest.raises(CommandError):
        call_command("setup_department", "--name", "重复", "--code", "4397")
    assert Person.objects.count() == 1
