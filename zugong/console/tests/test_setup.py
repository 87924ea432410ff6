"""The first-run page: an empty installation tells its administrator how to start."""

import pytest
from django.urls import reverse

from conftest import make_person
from zugong.people.models import OrgUnit, Role, Scope, User
from zugong.people.services import account_create, role_grant


@pytest.fixture
def sysadmin(client):
    user, _pw = account_create(by=None, username="sys1", must_change=False)
    role_grant(by=None, user=user, role=Role.SYSADMIN, scope=Scope.ALL)
    client.force_login(user)
    return user


@pytest.mark.django_db
def test_an_empty_installation_sends_its_administrator_to_the_first_run_page(client, sysadmin):
    home = client.get(reverse("home")).content.decode()
    assert 'id="first-run"' in home and reverse("console:setup") in home
    response = client.post(reverse("console:setup"), {
        "name": "某某县委组织部", "code": "4396", "region": "433122",
        "sections": "组织室\n干部室\n", "head_username": "bz"})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "初始密码" in page and "某某县委组织部" in page and "未关联人员" in page
    assert 'id="first-run"' not in client.get(reverse("home")).content.decode()
    assert OrgUnit.objects.filter(code__startswith="4396").count() == 3


@pytest.mark.django_db
def test_the_setup_form_shows_each_problem_and_keeps_what_was_typed(client, sysadmin):
    response = client.post(reverse("console:setup"), {
        "name": "某某县委组织部", "code": "4395", "region": "000000", "sections": "组织室"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "未知的代码值" in html and 'value="某某县委组织部"' in html
    assert not OrgUnit.objects.exists()


@pytest.mark.django_db
def test_the_head_account_is_linked_by_picking_a_name(client, sysadmin):
    client.post(reverse("console:setup"), {"name": "某某县委组织部", "code": "4394",
                                            "sections": "组织室", "head_username": "bz"})
    dept = OrgUnit.objects.get(code="4394")
    person = make_person(OrgUnit.objects.get(code="439401"), "张三丰")
    page = client.get(reverse("console:setup"), {"department": dept.pk, "name": "三丰"})
    assert 'id="head-candidates"' in page.content.decode() and "张三丰" in page.content.decode()
    head = User.objects.get(username="bz")
    client.post(reverse("console:setup_link", args=[dept.pk]),
                {"account": head.pk, "person": person.pk})
    head.refresh_from_db()
    assert head.person == person


@pytest.mark.django_db
def test_the_setups_head_grant_is_the_administrators_own_and_goes_to_the_security_admin(
        client, sysadmin):
    # 三员分立 (docs/security.md): the setup's head role is the one documented exception;
    # it is recorded as the system administrator's grant, marked as the setup's, and the
    # security administrator is told to review it. Nothing else is granted that way.
    from django.core.exceptions import PermissionDenied

    from zugong.core.models import AuditEntry, Notice

    secadmin, _pw = account_create(by=None, username="sec1", must_change=False)
    role_grant(by=None, user=secadmin, role=Role.SECADMIN, scope=Scope.ALL)
    client.post(reverse("console:setup"), {"name": "某某县委组织部", "code": "4393",
                                            "sections": "组织室", "head_username": "bz"})
    head = User.objects.get(username="bz")
    grant = head.roles.get()
    assert grant.role == Role.HEAD and grant.granted_by == sysadmin
    assert grant.unit == OrgUnit.objects.get(code="4393")
    entry = AuditEntry.objects.filter(action="people.role.grant", object_id=str(head.pk)).get()
    assert entry.actor_id == sysadmin.pk
    notice = Notice.objects.get(recipient=secadmin)
    assert notice.kind == "people.role.setup_grant" and "bz" in notice.title
    assert notice.url == reverse("people:account_roles", args=[head.pk])
    # Outside the setup the system administrator grants nothing.
    with pytest.raises(PermissionDenied):
        role_grant(by=sysadmin, user=head, role=Role.CADRE, scope=Scope.SELF)
