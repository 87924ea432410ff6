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
