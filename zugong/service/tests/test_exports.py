"""xlsx exports of visits, expert orders and coverage (issue 20 point 8): the workbook
holds the rows of the list with its filters and the reader's scope, nothing the public
said, and every export leaves an audit entry."""

import datetime as dt
import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from zugong.core.audit import SYSTEM
from zugong.core.models import AuditEntry
from zugong.service import services

D = dt.date
DAY = D(2026, 3, 2)


def _rows(response) -> list[list]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.worksheets[0]
    return [[c.value for c in row] for row in sheet.iter_rows()]


def _paired(cast, who, place):
    person = cast.people[who]
    village = services.point_create(by=SYSTEM, person=person, kind="village",
                                    name=f"{place}村", on=D(2026, 1, 1))
    household = services.household_create(by=SYSTEM, person=person, name=f"{place}户",
                                          on=D(2026, 1, 1))
    return person, village, household


def test_the_visits_export_holds_the_filtered_rows_in_scope_and_not_what_was_heard(
        cast, client):
    _a, village, household = _paired(cast, "cadre", "白沙")
    _b, other_village, _h = _paired(cast, "cadre2", "红岩")
    services.visit_record(by=SYSTEM, person=cast.people["cadre"], kind="village",
                          point=village, on=DAY, heard="村民反映路灯坏了")
    services.visit_record(by=SYSTEM, person=cast.people["cadre"], kind="household",
                          household=household, mode="phone", on=D(2026, 3, 5),
                          heard="身体尚好")
    services.visit_record(by=SYSTEM, person=cast.people["cadre2"], kind="village",
                          point=other_village, on=DAY, heard="听取意见")
    client.force_login(cast["head"])
    rows = _rows(client.get(reverse("service:visits_export")))
    assert rows[0] == ["日期", "干部", "单位", "类型", "地点", "方式"]
    assert sorted(tuple(r[1:]) for r in rows[1:]) == [
        ("李小红", "组织室", "入户", "白沙户", "电话"),
        ("李小红", "组织室", "入村", "白沙村", "实地"),
        ("王磊", "干部室", "入村", "红岩村", "实地")]
    assert "村民反映" not in str(rows) and "身体尚好" not in str(rows)
    # The list's filters go into the export: the unit, the kind.
    only = _rows(client.get(reverse("service:visits_export"),
                            {"unit": cast.sec_org.pk, "kind": "village"}))
    assert [r[1:5] for r in only[1:]] == [["李小红", "组织室", "入村", "白沙村"]]
    entry = AuditEntry.objects.filter(action="service.visit.export").latest("seq")
    assert entry.actor == cast["head"]
    assert entry.after == {"rows": 1, "filters": {"unit": str(cast.sec_org.pk),
                                                  "kind": "village"}}
    # A cadre exports their own visits only; another county's head none of them.
    client.force_login(cast["cadre2"])
    assert [r[1] for r in _rows(client.get(reverse("service:visits_export")))[1:]] == ["王磊"]
    client.force_login(cast["outsider"])
    assert len(_rows(client.get(reverse("service:visits_export")))) == 1
    assert client.get(reverse("service:visits_export"),
                      {"unit": cast.sec_org.pk}).status_code == 404


def test_the_orders_export_holds_the_orders_in_scope_without_their_texts(cast, client):
    expert = services.expert_create(by=SYSTEM, department=cast.dept, name="向科",
                                    field="柑橘栽培")
    order = services.order_place(by=SYSTEM, person=cast.people["cadre"],
                                 orderer_kind="village", orderer="白沙村",
                                 need="柑橘黄龙病防治指导", on=DAY)
    order = services.order_match(by=SYSTEM, order=order, version=order.version,
                                 expert=expert, on=D(2026, 3, 3))
    order = services.order_deliver(by=SYSTEM, order=order, version=order.version,
                                   on=D(2026, 3, 9), delivery="现场授课一次")
    services.order_rate(by=SYSTEM, order=order, version=order.version, score=4)
    services.order_place(by=SYSTEM, person=cast.people["cadre2"], orderer_kind="enterprise",
                         orderer="湘西果业", need="冷链仓储", on=DAY)
    client.force_login(cast["head"])
    rows = _rows(client.get(reverse("service:orders_export")))
    assert rows[0] == ["日期", "点单方", "点单村（企业）", "干部", "单位", "状态", "专家",
                       "匹配日期", "服务日期", "评分（1–5分）"]
    by_orderer = {r[2]: r for r in rows[1:]}
    assert by_orderer["白沙村"][1:] == ["村", "白沙村", "李小红", "组织室", "已评价", "向科",
                                      dt.datetime(2026, 3, 3), dt.datetime(2026, 3, 9), 4]
    assert by_orderer["湘西果业"][5:] == ["已点单", None, None, None, None]
    assert "黄龙病" not in str(rows) and "授课" not in str(rows)
    # The figure's link filter (delivered or rated, by the day delivered) exports the same.
    done = _rows(client.get(reverse("service:orders_export"), {
        "status": "completed", "start": "2026-03-09", "end": "2026-03-31"}))
    assert [r[2] for r in done[1:]] == ["白沙村"]
    assert AuditEntry.objects.filter(action="service.order.export").latest(
        "seq").after["rows"] == 1
    client.force_login(cast["cadre"])
    assert [r[2] for r in _rows(client.get(reverse("service:orders_export")))[1:]] == [
        "白沙村"]


def test_the_coverage_export_holds_each_cadres_figures_and_the_totals(cast, client):
    person, village, household = _paired(cast, "cadre", "白沙")
    for on in (D(2026, 1, 5), D(2026, 3, 3)):
        services.visit_record(by=SYSTEM, person=person, kind="village", point=village,
                              on=on, heard="x")
    services.visit_record(by=SYSTEM, person=person, kind="household", household=household,
                          on=D(2026, 2, 12), mode="phone", heard="x")
    today = timezone.localdate()
    # Judged as of today: the months of 2026 that have ended (all twelve once 2026 is
    # over); the month of today is open and still owed by both pairings.
    judged, owed = (today.month - 1, 1) if today.year == 2026 else (12, 0)
    client.force_login(cast["head"])
    rows = _rows(client.get(reverse("service:coverage_export"), {"year": 2026}))
    assert rows[0] == ["干部", "单位", "联系村应达标月数", "联系村达标月数",
                       "联系户应达标户月数", "联系户达标户月数", "解决问题数", "年度最低数",
                       "本月尚欠走访村", "本月尚欠联系户"]
    named = {r[0]: r for r in rows[1:-1]}
    assert set(named) == {"向明远", "杨秀英", "张建国", "李小红", "王磊", "刘芳", "陈刚"}
    # The village met in January and March, the household in February; nothing solved.
    assert named["李小红"][1:] == ["组织室", judged, 2, judged, 1, 0, 2, owed, owed]
    assert named["王磊"][2:] == [0, 0, 0, 0, 0, 2, 0, 0]
    assert rows[-1] == ["合计", "泸溪县委组织部", judged, 2, judged, 1, 0,
                        "7名干部中0名达到年度最低数", owed, owed]
    entry = AuditEntry.objects.filter(action="service.coverage.export").latest("seq")
    assert entry.after["rows"] == 7 and entry.after["filters"]["year"] == 2026
    only = _rows(client.get(reverse("service:coverage_export"),
                            {"year": 2026, "unit": cast.sec_org.pk}))
    assert [r[0] for r in only[1:]] == ["张建国", "李小红", "合计"]
    assert only[-1][1] == "组织室"
    client.force_login(cast["cadre2"])
    assert [r[0] for r in _rows(client.get(reverse("service:coverage_export")))[1:]] == [
        "王磊", "合计"]
