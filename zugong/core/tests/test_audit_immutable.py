"""The database refuses changes to the audit log; a cut-off tail, a lockout and refused
requests show in it."""

import pytest
from django.db import DatabaseError, transaction
from django.http import Http404, HttpResponse
from django.urls import include, path

from zugong.core.audit import audit_record, audit_verify
from zugong.core.models import AuditCheckpoint, AuditEntry, AuditHead
from zugong.core.tests.tamper import tamper

pytestmark = pytest.mark.django_db

ID_NUMBER = "11010519491231002X"


def _forbidden(request):
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied


def _missing(request):
    raise Http404


urlpatterns = [
    path("forbidden/", _forbidden),
    path("missing/", _missing),
    path("fine/", lambda request: HttpResponse("ok")),
    path("", include("zugong.config.urls")),  # the error pages link to the product's pages
]


def test_the_database_refuses_updating_audit_entries(db):
    audit_record(action="core.test.one")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.update(object_repr="changed")
    assert AuditEntry.objects.get().object_repr == ""


def test_the_database_refuses_deleting_audit_entries(db):
    audit_record(action="core.test.one")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.count() == 1


def test_checkpoints_are_append_only_too_and_the_head_still_moves(db):
    audit_record(action="core.test.one")
    assert audit_verify().ok
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditCheckpoint.objects.all().delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditCheckpoint.objects.update(seq=0)
    audit_record(action="core.test.two")
    assert AuditHead.objects.get().last_seq == 2


def test_cutting_the_tail_and_moving_the_head_back_is_detected(cast):
    assert audit_verify().ok  # leaves a checkpoint at the last entry
    last = AuditEntry.objects.order_by("-seq").first()
    tamper("DELETE FROM core_auditentry WHERE seq >= %s", [last.seq - 1])
    prev = AuditEntry.objects.get(seq=last.seq - 2)
    AuditHead.objects.filter(pk=1).update(last_seq=prev.seq, last_mac=prev.mac)
    report = audit_verify()
    assert not report.ok
    assert [p.seq for p in report.problems] == [last.seq]
    assert "entry named by the checkpoint" in report.problems[0].reason
    assert "missing" in report.problems[0].reason


def test_a_forged_checkpoint_is_reported(cast):
    assert audit_verify().ok
    tamper("UPDATE core_auditcheckpoint SET seq = seq - 1")
    report = audit_verify()
    assert any("not authentic" in p.reason for p in report.problems)


def test_a_lockout_is_audited(cast, client):
    for _ in range(5):
        client.post("/login/", {"username": "cadre2", "password": "wrong"},
                    REMOTE_ADDR="10.9.8.7")
    entry = AuditEntry.objects.filter(action="core.login.locked_out").latest("seq")
    assert entry.actor_username == "cadre2"
    assert entry.ip == "10.9.8.7"
    assert audit_verify().ok


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url, status", [("/forbidden/", 403), ("/missing/", 404)])
def test_a_refused_request_is_audited_with_user_path_and_status(cast, client, url, status):
    client.force_login(cast["cadre"])
    response = client.get(url, {"id_number": ID_NUMBER, "q": "王"})
    assert response.status_code == status
    entry = AuditEntry.objects.filter(action="core.request.refused").get()
    assert entry.actor_username == "cadre"
    assert entry.after == {"method": "GET", "path": url, "query": "id_number=***&q=***",
                           "status": status}
    assert ID_NUMBER not in str(entry.after) and ID_NUMBER[:14] not in str(entry.after)


@pytest.mark.urls(__name__)
def test_anonymous_and_successful_requests_write_nothing(cast, client):
    client.get("/missing/")
    client.force_login(cast["cadre"])
    client.get("/fine/")
    assert not AuditEntry.objects.filter(action="core.request.refused").exists()
