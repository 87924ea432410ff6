"""The API of 五送 deliveries and 我为群众办实事 practical matters (issue 20, point 8): lists
in scope with the page's filters and the kit's paging, the caller's own new records with
the page's checks, a matter's status moved by whoever keeps the cadre's records, and bad
input answered field by field in Chinese."""

import datetime as dt

from django.utils import timezone

from zugong.core.audit import SYSTEM
from zugong.service import services
from zugong.service.models import Deed, Delivery

DAY = dt.date(2026, 3, 2)
JSON = "application/json"
OUTSIDE_NAMES = ("龙海", "凤凰县委组织部")


def _household(cast, who="cadre", name="张大爷"):
    return services.household_create(by=SYSTEM, person=cast.people[who], name=name,
                                     on=dt.date(2026, 1, 1), difficulty=True)


# ---------------------------------------------------------------- 五送


def test_a_cadre_records_a_delivery_to_an_own_household_and_the_head_lists_it(cast,
                                                                             client):
    household = _household(cast)
    client.force_login(cast["cadre"])
    made = client.post("/api/v1/service/deliveries", {
        "household_id": household.pk, "item": "medical", "on": "2026-03-02",
        "note": "讲解城乡居民医保"}, content_type=JSON)
    assert made.status_code == 201
    assert {k: made.json()[k] for k in ("person", "household", "item", "on", "note")} == {
        "person": "李小红", "household": "张大爷", "item": "medical", "on": "2026-03-02",
        "note": "讲解城乡居民医保"}
    row = Delivery.objects.get()
    assert (row.person_id, row.created_by_id) == (cast.people["cadre"].pk, cast["cadre"].pk)
    services.delivery_record(by=SYSTEM, person=cast.people["cadre"], household=household,
                             item="spirit", on=DAY - dt.timedelta(days=1))
    client.force_login(cast["head"])
    page = client.get("/api/v1/service/deliveries").json()
    assert [(i["item"], i["on"]) for i in page["items"]] == [
        ("medical", "2026-03-02"), ("spirit", "2026-03-01")]
    # Which of the five: ``kind`` as on the page, or ``item`` as the answer names it.
    for param in ("kind", "item"):
        only = client.get("/api/v1/service/deliveries", {param: "spirit"}).json()["items"]
        assert [i["item"] for i in only] == ["spirit"], param
    dated = client.get("/api/v1/service/deliveries", {"start": "2026-03-02",
                                                      "end": "2026-03-31"}).json()
    assert [i["item"] for i in dated["items"]] == ["medical"]
    mine = client.get("/api/v1/service/deliveries",
                      {"person": cast.people["cadre"].pk}).json()["items"]
    assert len(mine) == 2
    # Supervision reads the department's records; the other county sees none of them.
    client.force_login(cast["supervisor"])
    assert len(client.get("/api/v1/service/deliveries").json()["items"]) == 2
    client.force_login(cast["outsider"])
    assert client.get("/api/v1/service/deliveries").json()["items"] == []


def test_a_delivery_with_bad_input_is_answered_field_by_field_in_chinese(cast, client):
    theirs = _household(cast, "cadre2", "李大娘")
    client.force_login(cast["cadre"])
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    bad = client.post("/api/v1/service/deliveries", {
        "household_id": theirs.pk, "item": "sixth", "on": tomorrow.isoformat()},
        content_type=JSON)
    assert bad.status_code == 422
    assert bad.json()["error"]["fields"] == {"household": ["请选择您本人的联系户。"],
                                             "item": ["请选择五送中的一项。"],
                                             "on": ["日期不能晚于今天。"]}
    # Someone else's household and one that does not exist get the same words.
    missing = client.post("/api/v1/service/deliveries", {
        "household_id": 999_999, "item": "care", "on": "2026-03-02"}, content_type=JSON)
    assert missing.json()["error"]["fields"] == {"household": ["请选择您本人的联系户。"]}
    assert "李大娘" not in bad.content.decode() + missing.content.decode()
    # A household outside its pairing's days is not the cadre's on that day.
    ended = _household(cast, name="王大爷")
    ended = services.pairing_end(by=SYSTEM, pairing=ended, version=ended.version,
                                 until=dt.date(2026, 2, 28), reason="帮扶对象调整")
    late = client.post("/api/v1/service/deliveries", {
        "household_id": ended.pk, "item": "care", "on": "2026-03-02"}, content_type=JSON)
    assert late.status_code == 422 and "household" in late.json()["error"]["fields"]
    untyped = client.post("/api/v1/service/deliveries", {"item": "care", "on": "昨天"},
                          content_type=JSON)
    assert untyped.status_code == 422
    assert {"household_id", "on"} <= set(untyped.json()["error"]["fields"])
    assert Delivery.objects.count() == 0


def test_administrators_are_refused_the_deliveries_and_deeds(cast, client):
    household = _household(cast)
    for who in ("sysadmin", "secadmin", "auditor"):
        client.force_login(cast[who])
        for path in ("/api/v1/service/deliveries", "/api/v1/service/deeds"):
            assert client.get(path).status_code == 403, (who, path)
        assert client.post("/api/v1/service/deliveries", {
            "household_id": household.pk, "item": "care", "on": "2026-03-02"},
            content_type=JSON).status_code == 403
        assert client.post("/api/v1/service/deeds", {"title": "修路", "on": "2026-03-02"},
                           content_type=JSON).status_code == 403
    assert (Delivery.objects.count(), Deed.objects.count()) == (0, 0)


# ---------------------------------------------------------------- 我为群众办实事


def test_a_cadre_takes_on_a_matter_and_moves_it_to_done_which_is_final(cast, client):
    client.force_login(cast["cadre"])
    made = client.post("/api/v1/service/deeds", {"title": " 帮助修缮村级活动场所 ",
                                                  "on": "2026-03-02"}, content_type=JSON)
    assert made.status_code == 201
    deed = made.json()
    assert (deed["person"], deed["title"], deed["status"], deed["done_on"]) == (
        "李小红", "帮助修缮村级活动场所", "planned", None)
    url = f"/api/v1/service/deeds/{deed['id']}/status"
    doing = client.post(url, {"version": deed["version"], "status": "doing"},
                        content_type=JSON)
    assert doing.status_code == 200 and doing.json()["status"] == "doing"
    # The version read before the change is stale now.
    stale = client.post(url, {"version": deed["version"], "status": "planned"},
                        content_type=JSON)
    assert stale.status_code == 409
    # The chief over the cadre closes it; then it no longer changes.
    client.force_login(cast["chief"])
    done = client.post(url, {"version": doing.json()["version"], "status": "done",
                             "done_on": "2026-03-20"}, content_type=JSON)
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["done_on"]) == ("done", "2026-03-20")
    again = client.post(url, {"version": done.json()["version"], "status": "doing"},
                        content_type=JSON)
    assert again.status_code == 422
    assert again.json()["error"]["fields"] == {"status": ["该实事已办结。"]}
    row = Deed.objects.get()
    assert (row.status, row.done_on) == ("done", dt.date(2026, 3, 20))


def test_the_head_lists_the_departments_matters_by_status_and_day(cast, client):
    services.deed_create(by=SYSTEM, person=cast.people["cadre"], title="修路", on=DAY)
    bridge = services.deed_create(by=SYSTEM, person=cast.people["cadre2"], title="建桥",
                                  on=dt.date(2026, 1, 10))
    services.deed_update(by=SYSTEM, deed=bridge, version=bridge.version, status="done",
                         done_on=dt.date(2026, 3, 5))
    client.force_login(cast["head"])
    page = client.get("/api/v1/service/deeds").json()
    assert [(i["title"], i["person"]) for i in page["items"]] == [("修路", "李小红"),
                                                                  ("建桥", "王磊")]
    assert [i["title"] for i in client.get("/api/v1/service/deeds", {
        "status": "planned"}).json()["items"]] == ["修路"]
    # Done in March though taken on in January: with 办结 the days are the day it was done.
    march = client.get("/api/v1/service/deeds", {"status": "done", "start": "2026-03-01",
                                                 "end": "2026-03-31"}).json()["items"]
    assert [i["title"] for i in march] == ["建桥"]
    mine = client.get("/api/v1/service/deeds", {"person": cast.people["cadre2"].pk}).json()
    assert [i["title"] for i in mine["items"]] == ["建桥"]


def test_a_deed_with_bad_input_is_answered_field_by_field_in_chinese(cast, client):
    client.force_login(cast["cadre"])
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    bad = client.post("/api/v1/service/deeds", {"title": "  ", "on": tomorrow.isoformat()},
                      content_type=JSON)
    assert bad.status_code == 422
    assert bad.json()["error"]["fields"] == {"title": ["请描述所办实事。"],
                                             "on": ["日期不能晚于今天。"]}
    deed = services.deed_create(by=SYSTEM, person=cast.people["cadre"], title="修路", on=DAY)
    url = f"/api/v1/service/deeds/{deed.pk}/status"
    wrong = client.post(url, {"version": deed.version, "status": "finished"},
                        content_type=JSON)
    assert wrong.json()["error"]["fields"] == {"status": ["请选择状态。"]}
    early = client.post(url, {"version": deed.version, "status": "done",
                              "done_on": "2026-03-01"}, content_type=JSON)
    assert early.status_code == 422
    assert early.json()["error"]["fields"] == {"done_on": ["日期应在承办之日与今天之间。"]}
    no_version = client.post(url, {"status": "doing"}, content_type=JSON)
    assert no_version.status_code == 422 and "version" in no_version.json()["error"]["fields"]
    assert Deed.objects.get().status == "planned"


def test_another_departments_matter_answers_404_naming_no_one(cast, client):
    deed = services.deed_create(by=SYSTEM, person=cast.people["cadre"], title="修路", on=DAY)
    outside = services.deed_create(by=SYSTEM, person=cast.people["outsider"], title="通水",
                                   on=DAY)
    body = {"version": deed.version, "status": "doing"}
    client.force_login(cast["outsider"])
    refused = client.post(f"/api/v1/service/deeds/{deed.pk}/status", body,
                          content_type=JSON)
    missing = client.post("/api/v1/service/deeds/999999/status", body, content_type=JSON)
    assert refused.status_code == missing.status_code == 404
    assert refused.json() == missing.json()
    assert not any(n in refused.content.decode() for n in ("李小红", "修路"))
    # The other county's head reads their own matter, and the county head none of theirs.
    assert [i["title"] for i in client.get("/api/v1/service/deeds").json()["items"]] == [
        "通水"]
    client.force_login(cast["head"])
    assert client.post(f"/api/v1/service/deeds/{outside.pk}/status", {
        "version": outside.version, "status": "doing"}, content_type=JSON).status_code == 404
    people = client.get("/api/v1/service/deeds", {"person": cast.people["outsider"].pk})
    assert people.status_code == 404
    assert not any(n in people.content.decode() for n in OUTSIDE_NAMES)
    # Supervision reads the cadre's matters but does not move them.
    client.force_login(cast["supervisor"])
    assert client.post(f"/api/v1/service/deeds/{deed.pk}/status", body,
                       content_type=JSON).status_code == 403
    assert Deed.objects.get(pk=deed.pk).status == "planned"


# ---------------------------------------------------------------- unit filter and paging


def test_the_lists_take_the_unit_filter(cast, client):
    for who, place in (("cadre", "白沙"), ("cadre2", "红岩")):
        household = _household(cast, who, f"{place}户")
        services.delivery_record(by=SYSTEM, person=cast.people[who], household=household,
                                 item="policy", on=DAY)
        services.deed_create(by=SYSTEM, person=cast.people[who], title=f"{place}修路",
                             on=DAY)
    client.force_login(cast["head"])
    for path in ("/api/v1/service/deliveries", "/api/v1/service/deeds"):
        assert len(client.get(path).json()["items"]) == 2, path
        mine = client.get(path, {"unit": cast.sec_org.pk})
        assert mine.status_code == 200, path
        assert {i["person"] for i in mine.json()["items"]} == {"李小红"}, path
        theirs = client.get(path, {"unit": cast.sec_cadre.pk}).json()["items"]
        assert {i["person"] for i in theirs} == {"王磊"}, path
        for pk in (cast.other_section.pk, cast.other_dept.pk, 999_999):
            refused = client.get(path, {"unit": pk})
            assert refused.status_code == 404, (path, pk)
            assert not any(n in refused.content.decode() for n in OUTSIDE_NAMES)


def test_the_lists_page_with_the_kits_cursor(cast, client):
    household = _household(cast)
    for day in range(1, 6):
        services.delivery_record(by=SYSTEM, person=cast.people["cadre"],
                                 household=household, item="care", on=dt.date(2026, 3, day))
        services.deed_create(by=SYSTEM, person=cast.people["cadre"], title=f"实事{day}",
                             on=dt.date(2026, 3, day))
    client.force_login(cast["cadre"])
    for path in ("/api/v1/service/deliveries", "/api/v1/service/deeds"):
        first = client.get(path, {"limit": 2}).json()
        assert set(first) == {"items", "next"}, path
        assert [i["on"] for i in first["items"]] == ["2026-03-05", "2026-03-04"], path
        seen = [i["id"] for i in first["items"]]
        cursor = first["next"]
        while cursor:
            page = client.get(path, {"limit": 2, "cursor": cursor}).json()
            seen += [i["id"] for i in page["items"]]
            cursor = page["next"]
        assert len(seen) == len(set(seen)) == 5, path
        bad = client.get(path, {"limit": "many"})
        assert bad.status_code == 422 and "limit" in bad.json()["error"]["fields"], path


def test_a_repeated_idempotency_key_records_the_delivery_and_the_matter_once(cast, client):
    household = _household(cast)
    client.force_login(cast["cadre"])
    for path, body in (("/api/v1/service/deliveries", {
            "household_id": household.pk, "item": "skill", "on": "2026-03-02"}),
            ("/api/v1/service/deeds", {"title": "修路", "on": "2026-03-02"})):
        first = client.post(path, body, content_type=JSON,
                            headers={"Idempotency-Key": f"once-{path}"})
        again = client.post(path, body, content_type=JSON,
                            headers={"Idempotency-Key": f"once-{path}"})
        assert first.status_code == again.status_code == 201, path
        assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert (Delivery.objects.count(), Deed.objects.count()) == (1, 1)
