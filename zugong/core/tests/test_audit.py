"""The audit chain: every write is recorded, and tampering is named exactly."""

import datetime as dt

import pytest
from django.core.management import call_command

from zugong.core import audit
from zugong.core.audit import SYSTEM, action_name_ok, audit_record, audit_verify
from zugong.core.models import AuditEntry, JobRun
from zugong.core.tasks import verify_audit_chain
from zugong.core.tests.tamper import tamper

pytestmark = pytest.mark.django_db


def _run_verify(capsys):
    code = 0
    try:
        call_command("audit", "verify")
    except SystemExit as exc:
        code = exc.code
    return code, capsys.readouterr().out


def test_a_fresh_cast_leaves_a_verifiable_chain(cast, capsys):
    assert AuditEntry.objects.count() > 20
    code, out = _run_verify(capsys)
    assert code == 0
    assert "chain intact" in out


def test_changing_a_row_with_raw_sql_names_that_exact_entry(cast, capsys):
    target = AuditEntry.objects.filter(action="people.person.create").order_by("seq")[3]
    tamper("UPDATE core_auditentry SET object_repr = %s WHERE seq = %s", ["伪造", target.seq])
    code, out = _run_verify(capsys)
    assert code == 1
    assert f"entry {target.seq}: content does not match its MAC" in out
    assert out.count("entry ") == 1


def test_deleting_a_row_with_raw_sql_is_detected(cast, capsys):
    seq = AuditEntry.objects.order_by("seq")[5].seq
    tamper("DELETE FROM core_auditentry WHERE seq = %s", [seq])
    code, out = _run_verify(capsys)
    assert code == 1
    assert f"entries {seq}..{seq} are missing" in out


def test_deleting_the_last_rows_is_detected(cast):
    last = AuditEntry.objects.order_by("-seq").first().seq
    tamper("DELETE FROM core_auditentry WHERE seq = %s", [last])
    report = audit_verify()
    assert not report.ok
    assert "missing" in report.problems[-1].reason


def test_entries_cannot_be_edited_or_deleted_through_the_application(db):
    entry = audit_record(action="core.test.action", object_repr="x")
    entry.object_repr = "changed"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


def test_sensitive_values_are_masked_in_audit_entries(cast):
    entry = AuditEntry.objects.filter(action="people.person.create",
                                      object_id=str(cast.people["cadre"].pk)).get()
    assert "*" in entry.after["id_number"]
    assert entry.after["id_number"] != cast.people["cadre"].id_number
    assert "*" in entry.after["phone"]


def test_a_person_update_records_before_and_after_of_changed_fields_only(cast):
    from zugong.people.services import person_update

    person = cast.people["cadre"]
    person_update(by=cast["head"], person=person, data={"current_post": "副主任科员"})
    entry = AuditEntry.objects.filter(action="people.person.update").latest("seq")
    assert entry.actor_username == "head"
    assert entry.before == {"current_post": "科员"}
    assert entry.after == {"current_post": "副主任科员"}


def test_login_success_and_failure_are_logged_with_ip(cast, client):
    client.post("/login/", {"username": "cadre", "password": "wrong"},
                REMOTE_ADDR="10.1.2.3")
    client.post("/login/", {"username": "cadre", "password": "Cast#Pass2026"},
                REMOTE_ADDR="10.1.2.3")
    failure = AuditEntry.objects.filter(action="core.login.failure").latest("seq")
    success = AuditEntry.objects.filter(action="core.login.success").latest("seq")
    assert failure.actor_username == "cadre" and failure.ip == "10.1.2.3"
    assert success.actor_username == "cadre" and success.ip == "10.1.2.3"
    assert audit_verify().ok


def test_the_nightly_verification_leaves_a_run_record(cast):
    verify_audit_chain()
    run = JobRun.objects.get(name="audit_verify")
    assert run.status == JobRun.Status.SUCCEEDED
    assert "entries verified" in run.message
    assert run.finished_at is not None


def test_a_failing_verification_run_is_recorded_as_failed(cast):
    tamper("UPDATE core_auditentry SET ip = '1.1.1.1' WHERE seq = 2")
    with pytest.raises(RuntimeError):
        verify_audit_chain()
    run = JobRun.objects.get(name="audit_verify")
    assert run.status == JobRun.Status.FAILED
    assert "entry 2" in run.message


def test_the_periodic_tasks_are_registered_with_huey():
    from huey.contrib.djhuey import HUEY

    names = {t.__name__ for t in HUEY._registry._periodic_tasks}
    assert {"audit_verify", "clear_sessions"} <= names


def test_auditor_can_search_by_user_and_date(cast, client):
    client.force_login(cast["auditor"])
    today = dt.date.today().isoformat()
    response = client.get("/system/audit/", {"user": "head", "since": today})
    assert response.status_code == 200
    assert all(e.actor_username == "head" for e in response.context["entries"])
    response = client.post("/system/audit/verify/")
    assert response.context["report"].ok


def test_paging_the_audit_log_keeps_the_filters_and_one_cursor(cast, client, settings):
    import html
    import re

    from zugong.console import selectors

    for i in range(selectors.AUDIT_PAGE * 2 + 5):
        audit_record(actor=cast["head"], action="core.test.page", obj=None, after={"i": i})
    client.force_login(cast["auditor"])
    url = "/system/audit/?action=core.test.page"
    for _ in range(2):
        page = client.get(url).content.decode()
        href = html.unescape(re.search(r'id="next-page" href="(\?[^"]*)"', page).group(1))
        assert "action=core.test.page" in href and href.count("cursor=") == 1
        url = "/system/audit/" + href
    last = client.get(url)
    assert len(last.context["entries"]) == 5
    assert all(e.action == "core.test.page" for e in last.context["entries"])


def test_the_system_as_actor_is_recorded_by_name_without_a_user():
    entry = audit_record(actor=SYSTEM, action="learning.reminder.send")
    entry.refresh_from_db()
    assert entry.actor_id is None
    assert entry.actor_username == "system"
    assert audit_verify().ok


@pytest.mark.parametrize("name", ["learning.record.confirm", "people.person.update",
                                  "tasks.task.mark_overdue", "interop.form_sheet.update"])
def test_app_entity_verb_names_are_accepted(name):
    assert action_name_ok(name)


@pytest.mark.parametrize("name", ["person.update", "logout", "learning.record.confirm.now",
                                  "Learning.record.confirm", "learning..confirm",
                                  "learning.record-confirm.x", "learning.record.confirm ",
                                  "1learning.record.confirm", ""])
def test_other_shapes_are_not(name):
    assert not action_name_ok(name)


def test_audit_record_refuses_a_name_not_of_the_app_entity_verb_shape():
    assert audit.ENFORCE_ACTION_NAMES
    with pytest.raises(ValueError, match="person.update"):
        audit_record(action="person.update")
    assert audit_record(action="people.person.update").seq
