"""The signed-in account is kept between requests on PostgreSQL while its rows are
unchanged (issue 23), and every change to them is seen by the next request.

Transactional tests: nothing loaded inside a transaction is kept, and pytest-django's
ordinary tests run inside one.
"""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from zugong.people import services
from zugong.people.access import assignments, roles_of
from zugong.people.backends import AccountBackend, kept
from zugong.people.models import OrgUnit, Person, Role, RoleAssignment, Scope, User

POSTGRES = connection.vendor == "postgresql"


@pytest.fixture
def on_postgres(transactional_db):
    # Skipped once the database is set up: the transactional tests' teardown flushes it.
    if not POSTGRES:
        pytest.skip("row versions (xmin) are PostgreSQL's")


@pytest.fixture(autouse=True)
def _empty():
    kept.clear()
    yield
    kept.clear()


def load(user):
    return AccountBackend().get_user(user.pk)


@pytest.mark.usefixtures("on_postgres")
@pytest.mark.django_db(transaction=True)
def test_an_unchanged_account_is_one_statement_and_a_fresh_object_each_time(cast):
    chief = cast.users["chief"]
    first = load(chief)
    with CaptureQueriesContext(connection) as queries:
        second = load(chief)
        roles = roles_of(second)
        name, unit = second.person.name, second.person.unit.name
    # Only the row versions: not the account, its person and unit, nor its roles.
    assert len(queries) == 1, [q["sql"] for q in queries]
    assert "xmin" in queries[0]["sql"]
    assert roles == {Role.SECTION_CHIEF}
    assert (name, unit) == ("张建国", "组织室")
    # Each request gets its own objects: what one request sets on its user stays there.
    assert second is not first and second.person is not first.person
    second._something_of_this_request = 1
    assert not hasattr(load(chief), "_something_of_this_request")


@pytest.mark.usefixtures("on_postgres")
@pytest.mark.django_db(transaction=True)
def test_every_change_to_what_an_account_carries_is_seen_by_the_next_request(cast):
    chief, deputy = cast.users["chief"], cast.users["deputy"]

    def reload():
        load(chief)  # kept
        return load(chief)

    assert roles_of(reload()) == {Role.SECTION_CHIEF}
    # A role granted and revoked through the services.
    services.role_grant(by=None, user=chief, role=Role.CADRE, scope=Scope.SELF)
    assert roles_of(reload()) == {Role.SECTION_CHIEF, Role.CADRE}
    services.role_revoke(by=None, assignment=RoleAssignment.objects.get(
        user=chief, role=Role.CADRE))
    assert roles_of(reload()) == {Role.SECTION_CHIEF}
    # A scope changed by a queryset update, around every service.
    RoleAssignment.objects.filter(user=chief).update(scope=Scope.SELF)
    assert [a.scope for a in assignments(reload())] == [Scope.SELF]
    # The person renamed and moved, and the unit renamed, in raw SQL.
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Person._meta.db_table} SET name = %s WHERE id = %s",
                       ["张建华", chief.person_id])
    assert reload().person.name == "张建华"
    Person.objects.filter(pk=chief.person_id).update(unit=cast.sec_cadre)
    assert reload().person.unit.pk == cast.sec_cadre.pk
    OrgUnit.objects.filter(pk=cast.sec_cadre.pk).update(name="干部一室")
    assert reload().person.unit.name == "干部一室"
    # A custom scope's unit added, and one of its units renamed.
    grant = RoleAssignment.objects.get(user=deputy, role=Role.DEPUTY)
    load(deputy)
    grant.units.add(cast.sec_sup)
    load(deputy)
    units = {u.pk for u in assignments(load(deputy))[0].units.all()}
    assert cast.sec_sup.pk in units
    OrgUnit.objects.filter(pk=cast.sec_sup.pk).update(name="监督室")
    load(deputy)
    kept_unit = next(u for u in assignments(load(deputy))[0].units.all()
                     if u.pk == cast.sec_sup.pk)
    assert kept_unit.name == "监督室"
    # A new password ends the other sessions (the session hash is the password's).
    hash_before = load(chief).get_session_auth_hash()
    User.objects.filter(pk=chief.pk).update(password="pbkdf2_sha256$1$x$y")
    assert reload().get_session_auth_hash() != hash_before
    # A deactivated or deleted account is not signed in.
    User.objects.filter(pk=chief.pk).update(is_active=False)
    assert load(chief) is None
    User.objects.filter(pk=chief.pk).update(is_active=True)
    assert load(chief) is not None
    RoleAssignment.objects.filter(user=chief).delete()
    assert roles_of(reload()) == set()
    User.objects.filter(pk=chief.pk).delete()
    assert load(chief) is None


@pytest.mark.usefixtures("on_postgres")
@pytest.mark.django_db(transaction=True)
def test_no_decrypted_id_or_phone_number_is_kept(cast):
    cadre = cast.users["cadre"]
    Person.objects.filter(pk=cadre.person_id).update(phone="13912345678")
    person = load(cadre).person
    assert person.phone == "13912345678"  # the request that loaded it has it
    pickled = b"".join(entry[2] for entry in kept._accounts.values())
    assert pickled and b"13912345678" not in pickled
    assert cast.people["cadre"].id_number.encode() not in pickled
    # A request that asks for it reads it (one query); the rest comes from what is kept.
    with CaptureQueriesContext(connection) as queries:
        again = load(cadre).person
        assert again.name == "李小红"
        assert len(queries) == 1
        assert again.phone == "13912345678"
        assert len(queries) == 2


@pytest.mark.usefixtures("on_postgres")
@pytest.mark.django_db(transaction=True)
def test_nothing_loaded_inside_a_transaction_is_kept(cast):
    cadre = cast.users["cadre"]
    with transaction.atomic():
        load(cadre)
        with CaptureQueriesContext(connection) as queries:
            load(cadre)
    assert len(queries) == 2  # the versions and the account again: nothing was kept
    load(cadre)
    with CaptureQueriesContext(connection) as queries:
        load(cadre)
    assert len(queries) == 1


@pytest.mark.usefixtures("on_postgres")
@pytest.mark.django_db(transaction=True)
def test_a_revoked_role_closes_the_page_on_the_next_request(cast, client):
    chief = cast.users["chief"]
    client.force_login(chief)
    page = "/learning/records/?status=pending"
    assert client.get(page).status_code == 200
    assert client.get(page).status_code == 200  # the account kept
    services.role_revoke(by=None, assignment=chief.roles.get())
    assert client.get(page).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_elsewhere_every_request_loads_the_account(cast):
    if POSTGRES:
        pytest.skip("the other databases")
    cadre = cast.users["cadre"]
    load(cadre)
    with CaptureQueriesContext(connection) as queries:
        user = load(cadre)
    assert user == cadre and len(queries) == 1  # the account with its person and unit
    assert not kept._accounts
