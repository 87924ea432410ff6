"""Supervision records of the demo department (泸溪): this year's measures (mostly 提醒, a
few 函询 with replies, one 诫勉 that bars promotion and vetoes 优秀), and the leading
cadres' yearly personal-matter reports, most on time, a few late, some still owed."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zugong.core.audit import SYSTEM
from zugong.people.access import subtree_q
from zugong.people.models import OrgUnit, Person, PersonCategory, UnitKind

from . import services
from .models import (
    CheckKind,
    CheckResult,
    Form,
    Measure,
    MeasureKind,
    PackageItem,
    RatingLevel,
    Source,
)

DEPT_CODE = "433122-ZZB"
FACTS = ("群众反映其工作作风简单粗暴，经核实情况基本属实。",
         "落实上级决策部署打折扣，项目推进滞后。",
         "八小时外参加不当聚餐的苗头性问题。",
         "信访举报反映其亲属经商问题，需本人说明情况。")
REPLIES = ("本人已书面说明，所反映亲属经商情况与事实不符。",
           "本人承认存在问题并作出深刻检查。")
ITEMS = {"family_jobs": "配偶在县人民医院工作；子女在读。", "marriage_abroad": "无",
         "travel_documents": "因私护照一本，已交组织部门集中保管。",
         "real_estate": "县城商品房一套（自住）。", "investments": "无"}


RISKS = (("八小时外饭局邀约较多，存在被“围猎”风险。", "婉拒宴请，及时向组织报告。"),
         ("经手干部考察材料，存在泄密风险。", "严格执行保密制度，材料不出办公室。"),
         ("亲属在辖区经商，存在利益冲突风险。", "主动报告，实行回避。"))


@dataclass
class SupervisionDemo:
    measures: int
    reports: int
    integrity: int = 0
    leads: int = 0

    def summary(self) -> str:
        return _("supervision: %(measures)d measures, %(reports)d personal reports, "
                 "%(integrity)d integrity records, %(leads)d leads") % {
            "measures": self.measures, "reports": self.reports, "integrity": self.integrity,
            "leads": self.leads}


def build(*, seed: int = 0, today: dt.date | None = None) -> SupervisionDemo | None:
    """Once: nothing is added when the department already has measures."""
    dept = OrgUnit.objects.filter(code=DEPT_CODE).first()
    if dept is None or Measure.objects.filter(department=dept).exists():
        return None
    today = today or timezone.localdate()
    rng = random.Random(seed + 17)  # nosec B311
    managed = list(Person.objects.filter(subtree_q("unit_path", dept.path),
                                         category=PersonCategory.MANAGED).order_by("pk"))
    if not managed:
        return None
    start = dt.date(today.year, 1, 1)
    span = max((today - start).days, 1)
    measures = reports = 0
    with transaction.atomic():
        chosen = rng.sample(managed, min(12, len(managed)))
        for i, person in enumerate(chosen):
            kind = MeasureKind.REMINDER if i < 8 else (
                MeasureKind.INQUIRY if i < 11 else MeasureKind.ADMONISHMENT)
            on = start + dt.timedelta(days=rng.randrange(span))
            m = services.measure_record(
                by=SYSTEM, person=person, kind=kind, on=on,
                source=rng.choice(Source.values), facts=rng.choice(FACTS),
                form=Form.SECOND if kind == MeasureKind.ADMONISHMENT else Form.FIRST,
                reply_due=on + dt.timedelta(days=15) if kind == MeasureKind.INQUIRY else None)
            measures += 1
            replied = on + dt.timedelta(days=10)
            if kind == MeasureKind.INQUIRY and replied <= today and i < 10:
                services.measure_reply(by=SYSTEM, measure=m, version=m.version,
                                       replied_on=replied, reply=rng.choice(REPLIES),
                                       verdict="truthful", outcome="予以了结澄清。")
        # Yearly reports: about four in five on time in January, a few late, the rest owed.
        if today >= dt.date(today.year, 1, 20):
            for person in managed:
                roll = rng.random()
                if roll > 0.9:
                    continue
                filed = dt.date(today.year, 1, rng.randint(5, 31)) if roll < 0.8 else \
                    min(today, dt.date(today.year, 2, rng.randint(1, 28)))
                report = services.report_file(by=SYSTEM, person=person, kind="annual",
                                              year=today.year, on=filed, **ITEMS)
                reports += 1
                if rng.random() < 0.1 and filed < today:
                    omitted = rng.random() < 0.3
                    services.report_check(
                        by=SYSTEM, report=report, version=report.version,
                        check_kind=CheckKind.RANDOM, checked_on=today,
                        check_result=CheckResult.OMITTED if omitted else CheckResult.TRUTHFUL,
                        handling="批评教育，责令补报。" if omitted else "")
        integrity = _integrity(rng, dept, today, start, span)
        integrity += _ratings_and_study(rng, dept, today, start, span)
        leads = _joint(rng, managed, today, start, span)
    return SupervisionDemo(measures, reports, integrity, leads)


def _integrity(rng, dept, today, start, span) -> int:
    """Most of the department's own cadres signed this year's commitment; each has done a
    few of the 六个一; about a third found a risk in their conduct, most since closed."""
    made = 0
    team = Person.objects.filter(subtree_q("unit_path", dept.path),
                                 category=PersonCategory.ORG_CADRE).order_by("pk")
    for person in team:
        if rng.random() < 0.9:
            services.commitment_sign(by=SYSTEM, person=person, year=today.year,
                                     on=start + dt.timedelta(days=rng.randrange(min(span, 40))))
            made += 1
        for item in rng.sample(PackageItem.values, rng.randint(1, len(PackageItem.values))):
            services.package_record(by=SYSTEM, person=person, item=item,
                                    on=start + dt.timedelta(days=rng.randrange(span)))
            made += 1
        if rng.random() < 0.35:
            risk, measure = rng.choice(RISKS)
            found = start + dt.timedelta(days=rng.randrange(span))
            item = services.selfcheck_record(by=SYSTEM, person=person, risk=risk,
                                             measure=measure, on=found,
                                             due_on=found + dt.timedelta(days=60))
            made += 1
            closed = found + dt.timedelta(days=rng.randint(10, 50))
            if closed <= today and rng.random() < 0.7:
                services.selfcheck_close(by=SYSTEM, item=item, version=item.version,
                                         closed_on=closed, closing_note="已按措施整改。")
    return made


TOPICS = ("学习《中国共产党纪律处分条例》", "观看警示教育片《零容忍》并交流",
          "学习中央八项规定及其实施细则精神")


def _ratings_and_study(rng, dept, today, start, span) -> int:
    """Last year's 清廉组室 and 清廉家庭 ratings (one section a model, one not met, the rest
    met; about a quarter of the families rated), and two discipline-study sessions per
    section this year with the section's cadres."""
    made = 0
    last = today.year - 1
    rated_on = dt.date(last, 12, 20)
    sections = list(OrgUnit.objects.filter(subtree_q("path", dept.path),
                                           kind=UnitKind.SECTION).order_by("path"))
    for i, unit in enumerate(sections):
        level = RatingLevel.MODEL if i == 0 else (
            RatingLevel.NOT_MET if i == len(sections) - 1 and i > 1 else RatingLevel.MET)
        services.section_rating_record(by=SYSTEM, unit=unit, year=last, level=level,
                                       on=rated_on)
        made += 1
    team = list(Person.objects.filter(subtree_q("unit_path", dept.path),
                                      category=PersonCategory.ORG_CADRE).order_by("pk"))
    for person in team:
        if rng.random() < 0.25:
            services.family_rating_record(
                by=SYSTEM, person=person, year=last, on=rated_on,
                level=RatingLevel.MODEL if rng.random() < 0.4 else RatingLevel.MET)
            made += 1
    for unit in sections:
        members = [p for p in team if p.unit_id == unit.pk]
        if not members:
            continue
        for topic in rng.sample(TOPICS, 2):
            services.study_record(by=SYSTEM, unit=unit, topic=topic,
                                  on=start + dt.timedelta(days=rng.randrange(span)),
                                  participants=members,
                                  summary="集体学习后逐一谈认识，查找自身差距。")
            made += 1
    return made


LEADS = ("反映其在项目招投标中为亲属打招呼。", "反映其违规收受礼金。",
         "反映其工作日中午饮酒。", "反映其配偶在其分管领域经商办企业。")
OBSERVED = {"after_hours": "周末在农家乐与管理服务对象聚餐。",
            "social": "与辖区企业老板交往较密。", "life": "家庭和睦，生活简朴。",
            "leisure": "业余时间常打牌，未发现赌博。",
            "home_visit": "廉政家访，与配偶谈家风家教，签订家庭助廉承诺。"}


def _joint(rng, managed, today, start, span) -> int:
    """Eight leads from the partner departments about leading cadres: two just received,
    two assigned, one verified and three closed (one 属实, one 澄清正名, one 容错纠错);
    and ten observations. Returns the number of leads."""
    from .models import Conclusion, ObservationKind, Partner
    from .selectors import officers_for

    services.ensure_partners()
    partners = list(Partner.objects.filter(active=True).order_by("position"))
    people = rng.sample(managed, min(8, len(managed)))
    conclusions = (Conclusion.SUBSTANTIATED, Conclusion.CLEARED, Conclusion.TOLERATED)
    for i, person in enumerate(people):
        on = start + dt.timedelta(days=rng.randrange(max(span - 30, 1)))
        lead = services.lead_record(by=SYSTEM, person=person, partner=rng.choice(partners),
                                    on=on, summary=rng.choice(LEADS))
        if i < 2:
            continue
        officers = officers_for(person)
        if not officers:
            continue
        lead = services.lead_assign(by=SYSTEM, lead=lead, version=lead.version,
                                    assignee=officers[0])
        if i < 4:
            continue
        lead = services.lead_verify(by=SYSTEM, lead=lead, version=lead.version,
                                    verified_on=min(today, on + dt.timedelta(days=10)),
                                    findings="经谈话了解、调取资料核实。")
        if i < 5:
            continue
        services.lead_close(by=SYSTEM, lead=lead, version=lead.version,
                            closed_on=min(today, on + dt.timedelta(days=20)),
                            conclusion=conclusions[i - 5],
                            conclusion_note="依规依纪作出结论。")
    for person in rng.sample(managed, min(10, len(managed))):
        kind = rng.choice(ObservationKind.values)
        services.observation_record(by=SYSTEM, person=person, kind=kind,
                                    on=start + dt.timedelta(days=rng.randrange(span)),
                                    note=OBSERVED[kind], concern=kind in ("after_hours",
                                                                          "social"))
    return len(people)
