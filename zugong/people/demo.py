"""The demo department: a believable jurisdiction tree, its people and one login per role.

Everything is synthetic and drawn from ``random.Random(seed)``, so the same seed gives
the same people (within one calendar year: ages and the last three assessment years are
counted from 1 January of the current year). Every write goes through the services in
``services`` with ``by=SYSTEM``, so validation and the audit chain see the
demo exactly as they see an import.

泸溪县 is the main department (seeded in the project's materials); 凤凰县 (a sibling under
湘西州) and 汉滨区 (陕西, another province) are small departments that show that one
department cannot see another's records.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from zugong.core.audit import SYSTEM
from zugong.core.models import DictItem, DictTable

from . import idnumber
from .demo_data import (
    ALL_ORIGIN_CODES,
    FEMALE_1,
    FEMALE_FIRST,
    FENGHUANG,
    HANBIN,
    IN_SERVICE_MAJORS,
    L_CLERK,
    L_COUNTY_HEAD,
    L_PROBATION,
    L_SECTION_DEPUTY,
    L_SECTION_FULL,
    LUXI,
    MAJORS,
    MALE_1,
    MALE_FIRST,
    PARENT_JOBS,
    PUNISHMENTS,
    REGIONAL_SURNAMES,
    REWARDS,
    SPOUSE_JOBS,
    SURNAMES,
    County,
    _add_years,
    _committee_slots,
    _county_unit_slots,
    _month,
    _round_robin,
    _town_head,
    _town_slots,
    _unit_head,
    _weighted,
)
from .demo_result import ACCOUNTS, DEMO_PASSWORD, DemoAccount, DemoResult, result
from .models import OrgUnit, Person, PersonCategory, Role, Scope, UnitKind, User
from .services import account_create, person_create, role_grant, subrecord_add, unit_create

MARKER_CODE = "433122-ZZB"
# Re-exported: the demo tests check every origin code exists in the code table.
__all__ = ["ALL_ORIGIN_CODES", "DEMO_PASSWORD", "MARKER_CODE", "DemoAccount", "DemoResult",
           "build_demo"]


class _Builder:
    def __init__(self, seed: int, today: dt.date):
        # Synthetic demo data, reproducible from the seed; nothing security-related.
        self.rng = random.Random(seed)  # nosec B311
        self.ref = dt.date(today.year, 1, 1)
        self.used_ids: set[str] = set()
        self.used_phones: set[str] = set()
        self.used_names: set[str] = set()
        self.codes: dict[str, dict[str, DictItem]] = {}
        for item in DictItem.objects.filter(is_active=True):
            self.codes.setdefault(item.table, {})[item.code] = item

    # ------------------------------------------------------------ small draws

    def code(self, table: str, code: str) -> DictItem:
        return self.codes[table][code]

    def pick(self, pairs):
        """Weighted choice from (value, weight, ...) tuples."""
        values = [p[0] for p in pairs]
        weights = [p[1] for p in pairs]
        return self.rng.choices(values, weights=weights)[0]

    def pick_row(self, rows):
        return self.rng.choices(rows, weights=[r[1] for r in rows])[0]

    def surname(self, county: County) -> str:
        table = _weighted(SURNAMES) + _weighted(REGIONAL_SURNAMES[county.region])
        return self.pick(table)

    def given_name(self, male: bool) -> str:
        rng = self.rng
        last = MALE_1 if male else FEMALE_1
        first = MALE_FIRST if male else FEMALE_FIRST
        if rng.random() < 0.3:
            return rng.choice(last)
        return rng.choice(first) + rng.choice(last)

    def full_name(self, county: County, male: bool) -> str:
        for _attempt in range(50):
            name = self.surname(county) + self.given_name(male)
            if name not in self.used_names:
                self.used_names.add(name)
                return name
        return name

    def phone(self) -> str:
        while True:
            number = self.rng.choice(("139", "138", "137", "135", "150", "152", "158", "159",
                                      "180", "189", "177", "199")) + (
                f"{self.rng.randrange(10**8):08d}")
            if number not in self.used_phones:
                self.used_phones.add(number)
                return number

    def birth_date(self, age: int) -> dt.date:
        # Born in the year ``age + 1`` before the reference year, after 1 January, so the
        # person is ``age`` on the reference date.
        start = dt.date(self.ref.year - age - 1, 1, 2)
        return start + dt.timedelta(days=self.rng.randrange(364))

    def id_number(self, prefix: str, born: dt.date, male: bool) -> str:
        for _attempt in range(1000):
            k = self.rng.randrange(1, 500)
            sequence = 2 * k + 1 if male else 2 * k  # odd digit for a man (GB 11643)
            number = idnumber.make(prefix, born, sequence)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number
        raise RuntimeError("no free ID number sequence")  # pragma: no cover

    # ------------------------------------------------------------ units

    def unit(self, parent, name, kind, code, position) -> OrgUnit:
        return unit_create(by=SYSTEM, parent=parent, name=name, kind=kind, code=code,
                           position=position)

    def upper_unit(self, parent, name, code, position) -> OrgUnit:
        """Upper departments may already exist in an installation: reuse them by code."""
        existing = OrgUnit.objects.filter(code=code).first()
        if existing is not None:
            return existing
        return self.unit(parent, name, UnitKind.ORG_DEPT, code, position)

    # ------------------------------------------------------------ people

    def person(self, county: County, unit: OrgUnit, *, category: str, post: str, level: str,
               age: tuple[int, int], female_share: float, party_member: bool = True) -> Person:
        rng = self.rng
        male = rng.random() >= female_share
        age_now = rng.randint(*age)
        born = self.birth_date(age_now)
        prefix, _w, native = self.pick_row(county.origins)
        # Native place (籍贯) follows the father; the birthplace now and then differs.
        birthplace = native if rng.random() < 0.9 else self.pick_row(county.origins)[2]
        name = self.full_name(county, male)
        ethnicity = self.pick(county.ethnicity)

        # Full-time education and its timeline.
        older = age_now >= 48
        kind = self.pick((("bachelor", 55 if not older else 35), ("master", 10 if not older else 2),
                          ("college", 25), ("secondary", 10 if older else 1)))
        major, bachelor_degree, master_degree = rng.choice(MAJORS)
        if kind == "secondary":
            major = rng.choice(("财会", "农学", "中文", "文秘"))
        school = rng.choice(county.schools[kind])
        education, degree, grad_age, years = {
            "master": ("14", master_degree, 25, 3),
            "bachelor": ("21", bachelor_degree, 22, 4),
            "college": ("31", None, 21, 3),
            "secondary": ("41", None, 19, 3),
        }[kind]
        graduated = dt.date(born.year + grad_age, 7, 1)
        enrolled = dt.date(graduated.year - years, 9, 1)
        work_start = _month(graduated, rng.randrange(0, 18 if kind != "master" else 8))
        latest_start = _month(self.ref, -3)
        work_start = min(work_start, latest_start)
        eighteen = _add_years(born, 18)
        work_start = max(work_start, _month(eighteen, 1))

        data = {
            "category": category,
            "name": name,
            "sex": self.code(DictTable.SEX, "1" if male else "2"),
            "birth_date": born,
            "ethnicity": self.code(DictTable.ETHNICITY, ethnicity),
            "native_place": native,
            "birthplace": birthplace,
            "health": self.code(DictTable.HEALTH, "1" if rng.random() < 0.95 else "3"),
            "ft_education": self.code(DictTable.EDUCATION, education),
            "ft_degree": self.code(DictTable.DEGREE, degree) if degree else None,
            "ft_school": f"{school}{major}专业",
            "id_number": self.id_number(prefix, born, male),
            "phone": self.phone(),
            "current_post": post,
            "post_level": self.code(DictTable.POST_LEVEL, level),
            "unit": unit,
            "work_start_date": work_start,
        }
        if kind in ("college", "secondary") and age_now >= 30:
            data["is_education"] = self.code(DictTable.EDUCATION, "21")
            data["is_school"] = (f"{rng.choice(county.schools['party_school'])}"
                                 f"{rng.choice(IN_SERVICE_MAJORS)}专业")
        elif kind == "bachelor" and age_now >= 32 and rng.random() < 0.12:
            data["is_education"] = self.code(DictTable.EDUCATION, "14")
            data["is_degree"] = self.code(DictTable.DEGREE, "349")
            data["is_school"] = f"{rng.choice(county.schools['master'])}公共管理专业"
        if "卫生" in unit.name and rng.random() < 0.3:
            data["professional_title"] = rng.choice(("主治医师", "副主任医师"))
        elif "教育" in unit.name and rng.random() < 0.3:
            data["professional_title"] = rng.choice(("中学一级教师", "中学高级教师"))

        if party_member:
            status = "01" if (age_now > 26 or rng.random() < 0.8) else "02"
            data["political_status"] = self.code(DictTable.POLITICAL_STATUS, status)
            if status == "02":
                joined = _month(self.ref, -rng.randrange(2, 11))
            else:
                join_age = rng.randint(19, min(age_now - 1, 34))
                joined = _add_years(born, join_age) + dt.timedelta(days=rng.randrange(300))
            data["party_join_date"] = max(min(joined, _month(self.ref, -1)), eighteen)
        else:
            data["political_status"] = self.code(
                DictTable.POLITICAL_STATUS, self.pick((("05", 3), ("08", 2), ("10", 2),
                                                       ("12", 3), ("13", 2))))

        person = person_create(by=SYSTEM, data=data)
        self.resume(county, person, enrolled=enrolled, graduated=graduated,
                    school=f"{school}{major}专业", kind=kind, post=post, level=level)
        self.family(county, person, male=male, age_now=age_now)
        self.rewards(county, person)
        self.assessments(person)
        return person

    def resume(self, county: County, person: Person, *, enrolled, graduated, school, kind,
               post, level):
        rng = self.rng
        work_start = person.work_start_date
        months_worked = (self.ref.year - work_start.year) * 12 + self.ref.month - work_start.month
        # Two to five lines: the school, then one job per eight years or so (at most four).
        careers = 1 + min(3, months_worked // 96 + rng.randint(0, 1))
        careers = max(1, min(careers, 1 + months_worked // 18))
        study = "研究生" if kind == "master" else ""
        subrecord_add(by=SYSTEM, person=person, kind="resume", data={
            "start": enrolled, "end": graduated, "text": f"{school}{study}学习"})
        starts = [work_start]
        if careers > 1:
            # The current post began one to eight years ago; earlier jobs share the
            # years before it.
            current = months_worked - rng.randint(6, min(96, months_worked - 12 * (careers - 1)))
            for i in range(1, careers - 1):
                starts.append(_month(work_start, i * current // (careers - 1)
                                     + rng.randint(-2, 2)))
            starts.append(_month(work_start, current))
        town = rng.choice(county.towns)
        unit = rng.choice(county.county_units)
        town_name, unit_name = f"{county.place}{town}", county.full_name(unit)
        pools = (
            (f"{town_name}人民政府科员", f"{unit_name}科员", f"{town_name}党政综合办公室干事",
             f"{unit_name}办事员"),
            (f"{unit_name}办公室副主任", f"{town_name}党政综合办公室主任", f"{unit_name}股长",
             f"{town_name}团委书记"),
            (f"{town_name}党委委员、副{_town_head(town)}",
             f"{unit_name}党组成员、副{_unit_head(unit)}", f"{town_name}党委委员、组织委员",
             f"{unit_name}办公室主任"),
            (f"{town_name}党委书记", f"{unit_name}党组书记、{_unit_head(unit)}",
             f"{town_name}党委副书记、{_town_head(town)}"),
        )
        # Earlier jobs rise towards the current one and stay below it.
        top = {L_PROBATION: 0, L_CLERK: 1, L_SECTION_DEPUTY: 1, L_SECTION_FULL: 2,
               L_COUNTY_HEAD: 3}[level]
        earlier = len(starts) - 1
        text = ""
        for i, start in enumerate(starts):
            if i == earlier:
                text, end = post, None
            else:
                stage = top if earlier == 1 else round(i * top / (earlier - 1))
                text = rng.choice([t for t in pools[stage] if t != text])  # no repeats
                end = starts[i + 1]
            subrecord_add(by=SYSTEM, person=person, kind="resume",
                          data={"start": start, "end": end, "text": text})

    def family(self, county: County, person: Person, *, male: bool, age_now: int):
        rng = self.rng
        born = person.birth_date
        surname = person.name[0]
        town = rng.choice(county.towns)
        members = []
        # Parents: older parents of older cadres are more often deceased.
        father_age = rng.randint(22, 32)
        father_born = _add_years(born, -father_age) - dt.timedelta(days=rng.randrange(365))
        father_dead = rng.random() < (0.15 + max(0, age_now - 35) * 0.025)
        members.append(("10", surname + self.given_name(True), father_born, father_dead,
                        "01" if rng.random() < 0.3 else "13",
                        rng.choice(PARENT_JOBS).format(county=county.place, town=town)))
        if rng.random() < 0.85:
            mother_born = _add_years(father_born, rng.randint(0, 4)) + dt.timedelta(
                days=rng.randrange(365))
            mother_dead = rng.random() < (0.08 + max(0, age_now - 40) * 0.02)
            members.append(("11", self.surname(county) + self.given_name(False), mother_born,
                            mother_dead, "13",
                            rng.choice(PARENT_JOBS).format(county=county.place, town=town)))
        married = age_now >= 27 and rng.random() < 0.92
        spouse_surname = self.surname(county)
        if married:
            spouse_born = _add_years(born, rng.randint(-3, 3) + (-1 if male else 1))
            spouse_born += dt.timedelta(days=rng.randrange(-180, 180))
            spouse_born = min(spouse_born, _add_years(self.ref, -22))
            members.append(("13" if male else "12",
                            spouse_surname + self.given_name(not male),
                            spouse_born, False, "01" if rng.random() < 0.5 else "13",
                            rng.choice(SPOUSE_JOBS).format(county=county.place)))
        if married and age_now >= 30 and len(members) < 4:
            child_male = rng.random() < 0.5
            child_born = _add_years(born, rng.randint(25, min(33, age_now - 3)))
            child_born += dt.timedelta(days=rng.randrange(300))
            child_born = min(child_born, _add_years(self.ref, -1))
            child_age = self.ref.year - child_born.year
            family_name = surname if male else spouse_surname
            job = ("学生" if child_age < 22 else rng.choice((
                f"{county.place}{rng.choice(county.towns)}人民政府干部", "在外务工",
                "长沙某公司职员" if county.region == "xiangxi" else "西安某公司职员")))
            if child_age < 7:
                job = ""
            status = "03" if 14 <= child_age < 28 else ("13" if child_age >= 18 else "")
            members.append(("14" if child_male else "15",
                            family_name + self.given_name(child_male), child_born, False,
                            status, job))
        if len(members) < 2 or (len(members) < 4 and rng.random() < 0.2):
            # A brother or sister, so that nobody has fewer than two entries.
            older = rng.random() < 0.5
            sibling_male = rng.random() < 0.5
            relation = {(True, True): "16", (True, False): "17",
                        (False, True): "18", (False, False): "19"}[(sibling_male, older)]
            sibling_born = _add_years(born, rng.randint(1, 6) * (-1 if older else 1))
            sibling_born += dt.timedelta(days=rng.randrange(-150, 150))
            sibling_born = min(sibling_born, _add_years(self.ref, -20))
            members.append((relation, surname + self.given_name(sibling_male), sibling_born,
                            False, "01" if rng.random() < 0.3 else "13", rng.choice((
                                "在外务工", f"{county.place}{rng.choice(county.towns)}农民",
                                f"{county.place}人民医院医生", "个体经营"))))
        for relation, name, birth, dead, status, job in members[:4]:
            subrecord_add(by=SYSTEM, person=person, kind="family", data={
                "kind": "family", "relation": self.code(DictTable.FAMILY_RELATION, relation),
                "name": name, "birth_date": birth,
                "political_status": self.code(DictTable.POLITICAL_STATUS, status)
                if status and not dead else None,
                "work_unit_and_post": "已去世" if dead else job,
                "is_deceased": dead,
            })

    def rewards(self, county: County, person: Person):
        rng = self.rng
        fmt = {"gov": county.gov, "party": county.party,
               "discipline": f"中共{county.place}纪律检查委员会",
               "supervision": f"{county.place}监察委员会"}
        start = max(person.work_start_date, dt.date(2015, 1, 1))
        span = (self.ref - start).days
        if span <= 60:
            return
        if rng.random() < 0.3:
            title, issuer = rng.choice(REWARDS)
            day = start + dt.timedelta(days=rng.randrange(span - 30))
            subrecord_add(by=SYSTEM, person=person, kind="rewards", data={
                "kind": "reward", "date": day, "title": title, "issuer": issuer.format(**fmt),
                "reason": f"{day.year}年度工作成绩突出"})
        elif rng.random() < 0.015:
            title, issuer = rng.choice(PUNISHMENTS)
            day = start + dt.timedelta(days=rng.randrange(span - 30))
            subrecord_add(by=SYSTEM, person=person, kind="rewards", data={
                "kind": "punishment", "date": day, "title": title,
                "issuer": issuer.format(**fmt), "reason": "违反工作纪律"})

    def assessments(self, person: Person):
        for year in range(self.ref.year - 3, self.ref.year):
            # A result needs a year of service: new recruits have no result yet.
            if person.work_start_date > dt.date(year, 3, 1):
                continue
            result = self.pick((("1", 18), ("2", 78), ("3", 3), ("5", 1)))
            subrecord_add(by=SYSTEM, person=person, kind="assessments", data={
                "year": year, "result": self.code(DictTable.ASSESSMENT_RESULT, result)})


@dataclass
class _Department:
    unit: OrgUnit
    head: Person
    deputies: list[tuple[Person, list[OrgUnit]]]
    sections: dict[str, OrgUnit]
    chiefs: dict[str, Person]
    staff: dict[str, list[Person]]  # section name -> staff other than the chief


def _build_department(b: _Builder, county: County, parent: OrgUnit, name: str,
                      position: int) -> _Department:
    code = county.code
    dept = b.unit(parent, name, UnitKind.ORG_DEPT, f"{code}-ZZB", position)
    org = county.full_name(f"{county.prefix}委组织部")
    pos = 0

    sections: dict[str, OrgUnit] = {}
    for i, (section, _count) in enumerate(county.sections, start=1):
        pos += 10
        sections[section] = b.unit(dept, section, UnitKind.SECTION, f"{code}-ZZB-S{i:02d}", pos)

    pos += 10
    unit_group = b.unit(dept, county.unit_group_name, UnitKind.GROUP, f"{code}-GU", pos)
    county_units = [b.unit(unit_group, n, UnitKind.COUNTY_UNIT, f"{code}-U{i:02d}", i * 10)
                    for i, n in enumerate(county.county_units, start=1)]
    committees = []
    for i, n in enumerate(county.committees, start=1):
        pos += 10
        committees.append(b.unit(dept, n, UnitKind.PARTY_COMMITTEE, f"{code}-P{i:02d}", pos))
    pos += 10
    town_group = b.unit(dept, county.town_group_name, UnitKind.GROUP, f"{code}-GT", pos)
    towns = [b.unit(town_group, n, UnitKind.TOWN, f"{code}-T{i:02d}", i * 10)
             for i, n in enumerate(county.towns, start=1)]

    # The department's own cadres: head and deputies sit at the department node.
    org_cadre = PersonCategory.ORG_CADRE
    head = b.person(county, dept, category=org_cadre, post=f"中共{county.place}委常委、组织部部长",
                    level=L_COUNTY_HEAD, age=(45, 53), female_share=0.25)
    deputies = []
    for i, in_charge in enumerate(county.deputy_sections):
        title = "常务副部长" if i == 0 else "副部长"
        person = b.person(county, dept, category=org_cadre, post=f"{org}{title}",
                          level=L_SECTION_FULL, age=(36, 50), female_share=0.35)
        deputies.append((person, [sections[s] for s in in_charge]))
    chiefs: dict[str, Person] = {}
    staff: dict[str, list[Person]] = {}
    for section, count in county.sections:
        unit = sections[section]
        chiefs[section] = b.person(county, unit, category=org_cadre, post=f"{org}{section}主任",
                                   level=L_SECTION_DEPUTY, age=(33, 48), female_share=0.4)
        staff[section] = []
        for j in range(count - 1):
            if j == 0 and count >= 5:
                post, level, ages = "副主任", L_CLERK, (30, 45)
            else:
                post, level, ages = b.rng.choice((
                    ("四级主任科员", L_SECTION_DEPUTY, (32, 48)),
                    ("一级科员", L_CLERK, (26, 40)), ("一级科员", L_CLERK, (26, 40)),
                    ("二级科员", L_CLERK, (25, 35)), ("科员（试用期）", L_PROBATION, (25, 27)),
                ))
            staff[section].append(b.person(county, unit, category=org_cadre,
                                           post=f"{org}{section}{post}", level=level,
                                           age=ages, female_share=0.45))

    # Managed cadres: leadership teams first, then non-leading ranks, up to the target.
    plan = [(u, _county_unit_slots(b.rng, u.name)) for u in county_units]
    plan += [(u, _committee_slots(b.rng, u.name)) for u in committees]
    plan += [(u, _town_slots(b.rng, u.name)) for u in towns]
    for unit, (post, level, ages, party) in _round_robin(plan, county.managed_target):
        female_share = 0.15 if level == L_SECTION_FULL else 0.28
        b.person(county, unit, category=PersonCategory.MANAGED,
                 post=f"{county.full_name(unit.name)}{post}", level=level, age=ages,
                 female_share=female_share, party_member=party)
    return _Department(dept, head, deputies, sections, chiefs, staff)


# ---------------------------------------------------------------- accounts


def _grant_accounts(luxi: _Department, fh: _Department, hb: _Department) -> None:
    supervision = "干部监督室"
    plan = [
        ("head", luxi.head, Role.HEAD, Scope.OWN_UNIT_AND_BELOW, luxi.unit, ()),
        ("deputy", luxi.deputies[0][0], Role.DEPUTY, Scope.CUSTOM, None, luxi.deputies[0][1]),
        ("chief", luxi.chiefs["组织室"], Role.SECTION_CHIEF, Scope.OWN_UNIT,
         luxi.sections["组织室"], ()),
        ("cadre", luxi.staff["组织室"][0], Role.CADRE, Scope.SELF, None, ()),
        ("cadre2", luxi.staff["干部室"][0], Role.CADRE, Scope.SELF, None, ()),
        ("supervisor", luxi.staff[supervision][0], Role.SUPERVISION, Scope.OWN_UNIT_AND_BELOW,
         luxi.unit, ()),
        ("assessor", luxi.staff["干部室"][1], Role.ASSESSMENT, Scope.OWN_UNIT_AND_BELOW,
         luxi.unit, ()),
        ("fh_head", fh.head, Role.HEAD, Scope.OWN_UNIT_AND_BELOW, fh.unit, ()),
        ("hb_head", hb.head, Role.HEAD, Scope.OWN_UNIT_AND_BELOW, hb.unit, ()),
        ("sysadmin", None, Role.SYSADMIN, Scope.ALL, None, ()),
        ("secadmin", None, Role.SECADMIN, Scope.ALL, None, ()),
        ("auditor", None, Role.AUDITOR, Scope.ALL, None, ()),
    ]
    for username, person, role, scope, unit, units in plan:
        # An installation may already have its administrators (``zugong createadmins``):
        # an existing username is left exactly as it is.
        if User.objects.filter(username__iexact=username).exists():
            continue
        user, _password = account_create(by=SYSTEM, username=username, person=person,
                                         password=DEMO_PASSWORD, must_change=False)
        role_grant(by=SYSTEM, user=user, role=role, scope=scope, unit=unit, units=list(units))


def build_demo(seed: int = 0, *, today: dt.date | None = None) -> DemoResult:
    """Build the demo jurisdiction, people and accounts, unless it already exists."""
    if OrgUnit.objects.filter(code=MARKER_CODE).exists():
        return result(created=False, created_names=set())
    b = _Builder(seed, today or timezone.localdate())
    with transaction.atomic():
        existing = set(User.objects.filter(username__in=ACCOUNTS)
                       .values_list("username", flat=True))
        hunan = b.upper_unit(None, "湖南省委组织部", "43-ZZB", 430)
        xiangxi = b.upper_unit(hunan, "湘西州委组织部", "4331-ZZB", 433100)
        luxi = _build_department(b, LUXI, xiangxi, "泸溪县委组织部", 433122)
        fh = _build_department(b, FENGHUANG, xiangxi, "凤凰县委组织部", 433123)
        shaanxi = b.upper_unit(None, "陕西省委组织部", "61-ZZB", 610)
        ankang = b.upper_unit(shaanxi, "安康市委组织部", "6109-ZZB", 610900)
        hb = _build_department(b, HANBIN, ankang, "汉滨区委组织部", 610902)
        _grant_accounts(luxi, fh, hb)
    return result(created=True, created_names=set(ACCOUNTS) - existing)
