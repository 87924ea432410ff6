"""Service records of the three demo departments, written in bulk (the demo's build time
counts in the test suite), with the seed figures:

* 泸溪 (seed 000): "今年以来……解决群众急难愁盼问题30余件": 34 problems solved this year;
* 凤凰 (seed 002): "32名组工干部参与‘我为群众办实事’20余次, 帮助群众解决急难愁盼问题200件以上"
  in a year: 212 problems solved and 23 practical matters done last year;
* 汉滨: a smaller year of the same records.

Every cadre of a department is paired with a village and two households (one a Party
member in difficulty) since 1 January of last year, and visits them most months, so the
coverage page has both met and missed months to show.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zugong.people.access import subtree_q
from zugong.people.models import OrgUnit, Person, PersonCategory, UnitKind

from .models import (
    ContactPoint,
    Deed,
    DeedStatus,
    Delivery,
    Expert,
    ExpertOrder,
    Household,
    Liaison,
    LiaisonKind,
    Mode,
    OrderStatus,
    PointKind,
    Problem,
    ProblemStatus,
    Satisfaction,
    SendItem,
    Visit,
    VisitKind,
)

# Department code -> (problems solved this year, solved last year, practical matters done
# last year, this year); the seed figures are the first two numbers of 泸溪 and 凤凰.
PLAN = {
    "433122-ZZB": (34, 0, 0, 10),
    "433123-ZZB": (40, 212, 23, 6),
    "610902-ZZB": (12, 0, 0, 5),
}
OPEN_PROBLEMS = 6  # per department, raised this year and not yet solved
VILLAGES = ("白沙村", "兴隆村", "新寨村", "桐木村", "岩门村", "高山村", "茶林村", "黄土村")
SURNAMES = "张王李刘杨龙向田吴彭石麻"
GIVEN = ("大爷", "大娘", "老汉", "家", "二叔", "三婶")
HEARD = ("反映村道破损，雨天出行不便。", "希望加强农技培训，提高柑橘产量。",
         "孩子上学路远，希望解决校车问题。", "医保报销流程不清楚，希望上门讲解。",
         "企业用工难，希望帮助对接劳务输出。", "身体不好，希望组织多关心。")
PROBLEMS = ("村道路灯损坏", "饮水管道漏水", "低保申请材料不全", "医保报销未到账",
            "农产品销路不畅", "危房改造进度慢", "企业用电报装慢", "留守老人就医不便")
EVIDENCE = ("已协调镇政府维修完毕，附现场照片。", "已联系相关部门办结，群众签字确认。",
            "已帮助补齐材料并办理完毕。")
EXPERTS = (("向科", "柑橘栽培", "县农业农村局"), ("杨林", "畜牧养殖", "县畜牧水产中心"),
           ("张医", "乡村医疗", "县人民医院"), ("李工", "电商营销", "县商务局"))
NEEDS = ("柑橘黄龙病防治指导", "生猪养殖技术培训", "农产品直播带货培训", "老年慢病义诊")
# Orders per department: a few still waiting, most delivered, most of those rated.
ORDERS = 12
LIAISON_TARGETS = {
    LiaisonKind.PARTY_ORG: "党支部", LiaisonKind.UNIT: "县直单位", LiaisonKind.YOUNG: "年轻干部",
    LiaisonKind.VILLAGE: "示范村", LiaisonKind.EXPERT: "专家人才",
    LiaisonKind.HOUSEHOLD: "结对帮扶户"}
TOPICS = ("村级集体经济发展路径", "年轻干部成长规律", "基层党组织标准化建设")
DEEDS = ("为村小学捐赠图书", "帮助修缮村级活动场所", "组织义诊进村", "帮助销售滞销农产品",
         "为留守儿童开展课业辅导")


@dataclass
class ServiceDemo:
    points: int = 0
    households: int = 0
    visits: int = 0
    problems: int = 0
    deeds: int = 0
    deliveries: int = 0
    orders: int = 0
    solved: dict = field(default_factory=dict)  # department code -> {year: solved}

    def summary(self) -> str:
        return _("service: %(points)d contact points, %(households)d households, "
                 "%(visits)d visits, %(problems)d problems") % {
            "points": self.points, "households": self.households, "visits": self.visits,
            "problems": self.problems}


def _day(rng, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max((end - start).days, 0) + 1))


def build(*, seed: int = 0, today: dt.date | None = None) -> ServiceDemo | None:
    """Once: nothing is added when the demo departments already have contact points."""
    today = today or timezone.localdate()
    depts = list(OrgUnit.objects.filter(code__in=PLAN, kind=UnitKind.ORG_DEPT).order_by("code"))
    if not depts or any(ContactPoint.objects.filter(
            subtree_q("person__unit_path", d.path)).exists() for d in depts):
        return None
    rng = random.Random(seed + 23)  # nosec B311
    result = ServiceDemo()
    with transaction.atomic():
        for dept in depts:
            _department(rng, dept, today, result)
    return result


def _department(rng, dept: OrgUnit, today: dt.date, out: ServiceDemo) -> None:
    solved_now, solved_last, deeds_last, deeds_now = PLAN[dept.code]
    cadres = list(Person.objects.filter(subtree_q("unit_path", dept.path),
                                        category=PersonCategory.ORG_CADRE).order_by("pk"))
    if not cadres:
        return
    towns = list(OrgUnit.objects.filter(subtree_q("path", dept.path),
                                        kind=UnitKind.TOWN).order_by("path")) or [dept]
    this_year = dt.date(today.year, 1, 1)
    last_year = dt.date(today.year - 1, 1, 1)
    points = [ContactPoint(person=p, kind=PointKind.VILLAGE, on=last_year,
                           name=f"{towns[i % len(towns)].name}{VILLAGES[i % len(VILLAGES)]}")
              for i, p in enumerate(cadres)]
    points += [ContactPoint(person=p, kind=PointKind.ENTERPRISE, on=last_year,
                            name=f"{dept.name[:3]}第{i + 1}家联系企业")
               for i, p in enumerate(cadres[::4])]
    points = ContactPoint.objects.bulk_create(points)
    village_of = {pt.person_id: pt for pt in points if pt.kind == PointKind.VILLAGE}
    households = Household.objects.bulk_create([
        Household(person=p, on=last_year, point=village_of[p.pk], difficulty=(j == 0),
                  name=f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}",
                  situation="老党员，年老多病，独居。" if j == 0 else "")
        for p in cadres for j in range(2)])
    out.points += len(points)
    out.households += len(households)

    # Visits this year: the village in about nine months of ten, each household in about
    # five of six (two in five by phone); enterprises now and then.
    visits = []
    month = this_year
    while month <= today:
        end = min(today, (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
                  - dt.timedelta(days=1))
        for p in cadres:
            if rng.random() < 0.9:
                visits.append(Visit(person=p, kind=VisitKind.VILLAGE, point=village_of[p.pk],
                                    on=_day(rng, month, end), heard=rng.choice(HEARD)))
        for h in households:
            if rng.random() < 0.85:
                visits.append(Visit(person_id=h.person_id, kind=VisitKind.HOUSEHOLD,
                                    household=h, on=_day(rng, month, end),
                                    mode=Mode.PHONE if rng.random() < 0.4 else Mode.ON_SITE,
                                    heard=rng.choice(HEARD)))
        for pt in points:
            if pt.kind == PointKind.ENTERPRISE and rng.random() < 0.3:
                visits.append(Visit(person_id=pt.person_id, kind=VisitKind.ENTERPRISE,
                                    point=pt, on=_day(rng, month, end),
                                    heard=rng.choice(HEARD)))
        month = end + dt.timedelta(days=1)
    visits = Visit.objects.bulk_create(visits)
    out.visits += len(visits)

    village_visits: dict[int, list[Visit]] = {}
    for v in visits:
        if v.kind == VisitKind.VILLAGE:
            village_visits.setdefault(v.person_id, []).append(v)
    problems = []

    def problem(i, start, end, solved: bool):
        person = cadres[i % len(cadres)]
        seen = [v for v in village_visits.get(person.pk, []) if start <= v.on <= end]
        visit = rng.choice(seen) if seen and start.year == today.year else None
        raised = visit.on if visit else _day(rng, start, end)
        row = Problem(person=person, visit=visit, on=raised, title=rng.choice(PROBLEMS))
        if i % 3 == 0:
            row.status, row.handler_unit, row.assigned_on = (
                ProblemStatus.ASSIGNED, f"{towns[i % len(towns)].name}人民政府", raised)
        if solved:
            row.solved_on = min(end, raised + dt.timedelta(days=rng.randint(0, 20)))
            row.evidence = rng.choice(EVIDENCE)
            row.status = ProblemStatus.SOLVED
            if rng.random() < 0.6:
                row.status, row.rated_on = ProblemStatus.RATED, row.solved_on
                row.satisfaction = Satisfaction.SATISFIED if rng.random() < 0.9 else \
                    Satisfaction.BASIC
        problems.append(row)

    for i in range(solved_last):
        problem(i, last_year, dt.date(today.year - 1, 12, 31), True)
    for i in range(solved_now):
        problem(i, this_year, today, True)
    for i in range(OPEN_PROBLEMS):
        problem(i, this_year, today, False)
    Problem.objects.bulk_create(problems)
    out.problems += len(problems)
    out.solved[dept.code] = {today.year - 1: solved_last, today.year: solved_now}

    deeds = [Deed(person=cadres[i % len(cadres)], title=rng.choice(DEEDS), on=d,
                  status=DeedStatus.DONE, done_on=d)
             for i, d in enumerate(_day(rng, last_year, dt.date(today.year - 1, 12, 31))
                                   for _ in range(deeds_last))]
    deeds += [Deed(person=cadres[i % len(cadres)], title=rng.choice(DEEDS),
                   on=_day(rng, this_year, today),
                   status=DeedStatus.DOING if i % 2 else DeedStatus.PLANNED)
              for i in range(deeds_now)]
    Deed.objects.bulk_create(deeds)
    out.deeds += len(deeds)

    deliveries = [Delivery(person_id=h.person_id, household=h, item=item,
                           on=_day(rng, this_year, today))
                  for h in households if h.difficulty
                  for item in rng.sample(SendItem.values, 2)]
    Delivery.objects.bulk_create(deliveries)
    out.deliveries += len(deliveries)

    _orders(rng, dept, cadres, this_year, today, out)
    liaisons = [Liaison(person=p, kind=kind, on=last_year,
                        target=f"{towns[i % len(towns)].name}{label}",
                        topic=TOPICS[i % len(TOPICS)] if kind == LiaisonKind.VILLAGE else "")
                for i, p in enumerate(cadres)
                for kind, label in list(LIAISON_TARGETS.items())[:2 + i % 5]]
    Liaison.objects.bulk_create(liaisons)


def _orders(rng, dept, cadres, this_year, today, out: ServiceDemo) -> None:
    experts = Expert.objects.bulk_create([Expert(department=dept, name=n, field=f, employer=e)
                                          for n, f, e in EXPERTS])
    orders = []
    for i in range(ORDERS):
        placed = _day(rng, this_year, today)
        order = ExpertOrder(person=cadres[i % len(cadres)], on=placed,
                            orderer_kind="village" if i % 3 else "enterprise",
                            orderer=f"第{i + 1}个点单村（企）", need=NEEDS[i % len(NEEDS)])
        if i >= 2:
            order.status, order.expert = OrderStatus.MATCHED, experts[i % len(experts)]
            order.matched_on = min(today, placed + dt.timedelta(days=2))
        if i >= 3 and placed + dt.timedelta(days=10) <= today:
            order.status, order.delivered_on = OrderStatus.DELIVERED, \
                placed + dt.timedelta(days=10)
            order.delivery = "专家现场授课并解答问题。"
            if i % 4:
                order.status, order.score = OrderStatus.RATED, rng.choice((4, 5, 5))
        orders.append(order)
    ExpertOrder.objects.bulk_create(orders)
    out.orders += len(orders)
