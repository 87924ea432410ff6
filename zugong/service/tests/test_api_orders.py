"""The API of 点单式 expert orders and 六联六促 liaisons (issue 20, points 3, 4 and 8):
lists in scope, one order with what was needed and delivered, the caller's own new
records, and bad input answered field by field."""

import datetime as dt

from zugong.core.audit import SYSTEM
from zugong.service import services

DAY = dt.date(2026, 3, 2)
JSON = "application/json"


def test_the_api_lists_orders_in_scope_and_takes_the_callers_order(cast, client):
    expert = services.expert_create(by=SYSTEM, department=cast.dept, name="向科",
                                    field="柑橘栽培")
    order = services.order_place(by=cast["cadre"], orderer_kind="village", orderer="白沙村",
                                 need="柑橘病虫害防治指导", on=DAY)
    order = services.order_match(by=SYSTEM, order=order, version=order.version,
                                 expert=expert, on=DAY)
    client.force_login(cast["head"])
    page = client.get("/api/v1/service/orders").json()
    assert [(o["orderer"], o["status"], o["expert"]) for o in page["items"]] == [
        ("白沙村", "matched", "向科")]
    assert "need" not in page["items"][0]  # what was needed is in the single order only
    one = client.get(f"/api/v1/service/orders/{order.pk}").json()
    assert one["need"] == "柑橘病虫害防治指导" and one["delivery"] == ""
    assert client.get("/api/v1/service/orders", {"status": "delivered"}).json()["items"] == []
    client.force_login(cast["outsider"])
    assert client.get("/api/v1/service/orders").json()["items"] == []
    assert client.get(f"/api/v1/service/orders/{order.pk}").status_code == 404
    client.force_login(cast["cadre2"])
    made = client.post("/api/v1/service/orders", {
        "orderer_kind": "enterprise", "orderer": "湘西果业", "need": "冷链仓储",
        "on": "2026-03-03"}, content_type=JSON)
    assert made.status_code == 201
    assert (made.json()["person"], made.json()["status"]) == ("王磊", "ordered")
    bad = client.post("/api/v1/service/orders", {"orderer_kind": "x", "orderer": "",
                                                 "need": "", "on": "2026-03-03"},
                      content_type=JSON)
    assert bad.status_code == 422
    assert set(bad.json()["error"]["fields"]) == {"orderer_kind", "orderer", "need"}


def test_the_api_lists_liaisons_and_takes_the_callers_own(cast, client):
    client.force_login(cast["cadre"])
    made = client.post("/api/v1/service/liaisons", {
        "kind": "village", "target": "白沙村", "topic": "柑橘产业", "on": "2026-01-05"},
        content_type=JSON)
    assert made.status_code == 201 and made.json()["person"] == "李小红"
    twice = client.post("/api/v1/service/liaisons", {
        "kind": "village", "target": "白沙村", "on": "2026-01-06"}, content_type=JSON)
    assert twice.status_code == 422 and "target" in twice.json()["error"]["fields"]
    client.force_login(cast["head"])
    items = client.get("/api/v1/service/liaisons", {"kind": "village"}).json()["items"]
    assert [(i["target"], i["topic"]) for i in items] == [("白沙村", "柑橘产业")]
    assert client.get("/api/v1/service/liaisons", {"kind": "young"}).json()["items"] == []
    client.force_login(cast["outsider"])
    assert client.get("/api/v1/service/liaisons").json()["items"] == []
