"""Post ledgers (岗位练兵, M38): kept by the holder, confirmed current on each save."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zugong.ability import selectors, services
from zugong.ability.models import LEDGER_FRESH_DAYS, PostLedger
from zugong.core.versioning import ConflictError

pytestmark = pytest.mark.django_db


def test_the_holder_keeps_the_ledger_and_an_old_one_shows_as_stale(cast, client):
    p = cast.people
    ledger = services.ledger_save(by=cast["cadre"], holder=p["cadre"], post="组织室科员",
                                  duties="党员发展", contacts="乡镇组织委员")
    with pytest.raises(PermissionDenied):
        services.ledger_save(by=cast["cadre2"], holder=p["cadre"], post="x", duties="y",
                             version=ledger.version)
    with pytest.raises(ValidationError) as err:
        services.ledger_save(by=cast["cadre"], holder=p["cadre"], post="组织室科员", duties="",
                             version=ledger.version)
    assert err.value.message_dict["duties"] == ["请填写岗位职责内容。"]
    ledger = services.ledger_save(by=cast["chief"], holder=p["cadre"], post="组织室科员",
                                  duties="党员发展、组织关系转接",
                                  open_matters="两名预备党员待转正",
                                  version=ledger.version)
    assert ledger.version == 2
    with pytest.raises(ConflictError):
        services.ledger_save(by=cast["cadre"], holder=p["cadre"], post="组织室科员",
                             duties="旧版本", version=1)
    # Confirmed more than 90 days ago: stale.
    PostLedger.objects.filter(pk=ledger.pk).update(
        confirmed_on=dt.date.today() - dt.timedelta(days=LEDGER_FRESH_DAYS + 1))
    assert selectors.ledger_list(user=cast["cadre2"]).get().stale is True
    client.force_login(cast["cadre2"])
    page = client.get(f"/ability/ledgers/{ledger.pk}/").content.decode()
    assert "两名预备党员待转正" in page and 'id="ledger-form"' not in page
    client.force_login(cast["cadre"])
    assert client.get("/ability/ledgers/mine/").status_code == 302


def test_a_tasks_handover_passes_the_ledger_on_with_the_job(cast, client):
    from zugong.ability.models import LedgerHandover
    from zugong.core.models import AuditEntry, Notice
    from zugong.tasks import services as tasks_services

    p = cast.people
    ledger = services.ledger_save(by=cast["cadre"], holder=p["cadre"], post="组织室科员",
                                  duties="党员发展", contacts="乡镇组织委员",
                                  open_matters="两名预备党员待转正")
    confirmed = ledger.confirmed_on
    tasks_services.handover(by=cast["head"], person=p["cadre"], successor=p["cadre2"],
                            note="调任干部室")
    ledger.refresh_from_db()
    assert ledger.holder_id == p["cadre2"].pk and ledger.open_matters == "两名预备党员待转正"
    assert ledger.confirmed_on == confirmed  # the successor confirms it on their first save
    move = LedgerHandover.objects.get(ledger=ledger)
    assert (move.from_person_id, move.to_person_id, move.merged) == (
        p["cadre"].pk, p["cadre2"].pk, False)
    assert AuditEntry.objects.filter(action="tasks.handover.add").get().after["ledger"] \
        == ledger.pk
    assert Notice.objects.filter(kind="ability.postledger.handover",
                                 recipient=cast["cadre2"]).exists()
    client.force_login(cast["cadre2"])
    assert client.get("/ability/ledgers/mine/").url == f"/ability/ledgers/{ledger.pk}/"
    assert 'id="ledger-handovers"' in client.get(f"/ability/ledgers/{ledger.pk}/").content \
        .decode()


def test_a_successor_with_a_ledger_of_their_own_receives_the_outgoing_one_added_to_it(cast):
    from zugong.ability.models import LedgerHandover
    from zugong.tasks import services as tasks_services

    p = cast.people
    services.ledger_save(by=cast["cadre"], holder=p["cadre"], post="组织室科员",
                         duties="党员发展", open_matters="两名预备党员待转正")
    own = services.ledger_save(by=cast["cadre2"], holder=p["cadre2"], post="组织室副主任",
                               duties="基层组织建设")
    tasks_services.handover(by=cast["head"], person=p["cadre"], successor=p["cadre2"],
                            note="合并岗位")
    own.refresh_from_db()
    assert own.duties.startswith("基层组织建设") and "党员发展" in own.duties
    assert "两名预备党员待转正" in own.open_matters and "李小红" in own.open_matters
    assert not PostLedger.objects.filter(holder=p["cadre"]).exists()
    assert LedgerHandover.objects.get(ledger=own).merged is True
    # Someone who kept no ledger hands over their tasks as before.
    tasks_services.handover(by=cast["head"], person=p["chief"], successor=p["cadre"],
                            note="无台账")


def test_a_ledger_left_unconfirmed_for_90_days_reminds_its_holder_once_a_month(cast):
    from zugong.ability import tasks
    from zugong.core.models import Notice

    p = cast.people
    ledger = services.ledger_save(by=cast["cadre"], holder=p["cadre"], post="组织室科员",
                                  duties="党员发展")
    today = ledger.confirmed_on
    assert services.ledgers_stale_remind(today=today + dt.timedelta(days=LEDGER_FRESH_DAYS)) \
        == {"ledgers": 0, "notices": 0}
    later = today + dt.timedelta(days=LEDGER_FRESH_DAYS + 1)
    assert services.ledgers_stale_remind(today=later) == {"ledgers": 1, "notices": 1}
    assert services.ledgers_stale_remind(today=later) == {"ledgers": 1, "notices": 0}
    notice = Notice.objects.get(kind="ability.postledger.stale")
    assert notice.recipient == cast["cadre"] and notice.url == f"/ability/ledgers/{ledger.pk}/"
    # Confirming it (any save) ends the reminders.
    services.ledger_save(by=cast["cadre"], holder=p["cadre"], post="组织室科员",
                         duties="党员发展", version=ledger.version)
    assert tasks.remind_stale_ledgers() == "0 stale post ledgers, 0 notices"
