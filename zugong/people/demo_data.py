"""The demo's fixed tables: names, places, schools, posts and the three demo counties.

Split from ``demo.py`` (which builds the department from them) so that each module stays
readable; nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import OrgUnit

# ---------------------------------------------------------------- static data

# Common surnames with rough weights; the regional tables raise local names.
SURNAMES = (
    "王14 李14 张13 刘10 陈9 杨8 黄6 赵5 吴5 周5 徐4 孙4 马3 朱3 胡3 郭3 何3 高3 林3 罗3 "
    "郑2 梁2 谢2 宋2 唐2 许2 韩2 冯2 邓2 曹2 彭2 曾2 肖2 田2 董2 袁2 潘1 蒋1 蔡1 余1 杜1 "
    "叶1 程1 苏1 魏1 吕1 丁1 任1 沈1 姚1 卢1 钟1 谭1 陆1 汪1 范1 金1 石1 廖1 贾1 夏1 付1 "
    "方1 邹1 孟1 熊1 秦1 江1 尹1 段1 雷1 侯1 龙1 陶1 黎1 贺1 毛1 龚1 邵1 万1 严1 覃1 向1"
)
REGIONAL_SURNAMES = {
    "xiangxi": "向12 田10 彭9 龙9 石8 杨6 吴6 麻4 滕4 符4 瞿3 唐3 梁3 舒3 谭3 覃3 宋2 姚2 "
               "满2 隆2",
    "ankang": "王6 张5 李5 刘4 陈4 杨3 吴2 胡3 周2 徐2 鲁3 柯3 沈2 邹2 冯2 程2 汪2 余2",
}
MALE_1 = ("伟强军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林洋成亮峰磊文志"
          "国建云海东兵锋新忠武松剑晖毅坤振卫良庆德福荣祥贵春光全胜永兴江")
MALE_FIRST = "志建国文明海晓永德宏俊家振世光子泽浩天春新立红正晓云中小长金"
FEMALE_1 = ("芳娜敏静丽艳娟霞燕玲英丹萍红琴云莉兰凤洁梅琳"
            "慧倩婷雪颖晶欢蓉媛佳璐瑶露莎菲薇琼秀翠玉珍妮")
FEMALE_FIRST = "晓秀春丽美雪雅思欣梦玉金慧佳静婉淑月丹海小红桂"

# Sections of a county organization department, with the staff counts for 泸溪.
LUXI_SECTIONS = (
    ("办公室", 5), ("组织室", 5), ("干部室", 5), ("干部监督室", 4), ("人才办", 3),
    ("党员教育室", 3), ("公务员管理室", 3),
)
# Which two sections each deputy head is in charge of; 办公室 answers to the head.
LUXI_DEPUTY_SECTIONS = (("组织室", "党员教育室"), ("干部室", "干部监督室"),
                        ("人才办", "公务员管理室"))

LUXI_COUNTY_UNITS = (
    "县委办公室", "县政府办公室", "县发展和改革局", "县教育局", "县民政局", "县司法局",
    "县财政局", "县人力资源和社会保障局", "县自然资源局", "县住房和城乡建设局",
    "县交通运输局", "县水利局", "县农业农村局", "县卫生健康局", "县应急管理局",
    "县市场监督管理局",
)
# The eleven township-level divisions of 泸溪县 since the 2015 merger (白沙 merged into
# 武溪镇, the county seat).
LUXI_TOWNS = (
    "武溪镇", "浦市镇", "达岚镇", "合水镇", "潭溪镇", "洗溪镇", "兴隆场镇",
    "石榴坪乡", "解放岩乡", "小章乡", "白羊溪乡",
)
LUXI_COMMITTEES = ("县委教育工委", "县直机关工委")

FH_SECTIONS = (("办公室", 2), ("组织室", 2), ("干部室", 2))
FH_COUNTY_UNITS = ("县委办公室", "县教育局", "县财政局", "县文化旅游广电局")
FH_TOWNS = ("沱江镇", "廖家桥镇", "阿拉营镇", "山江镇")

HB_SECTIONS = (("办公室", 2), ("组织科", 2), ("干部科", 2))
HB_COUNTY_UNITS = ("区委办公室", "区教育体育局", "区财政局", "区农业农村局")
HB_TOWNS = ("老城街道", "关庙镇", "五里镇", "恒口镇")

# ID-number prefixes (GB/T 2260 county codes) with weights and the native place they
# imply; the test checks every code against the division table.
LUXI_ORIGINS = (
    ("433122", 70, "湖南泸溪"), ("433101", 8, "湖南吉首"), ("431222", 5, "湖南沅陵"),
    ("431223", 4, "湖南辰溪"), ("433123", 4, "湖南凤凰"), ("433124", 3, "湖南花垣"),
    ("433125", 2, "湖南保靖"), ("431226", 2, "湖南麻阳"), ("430121", 2, "湖南长沙"),
)
FH_ORIGINS = (
    ("433123", 75, "湖南凤凰"), ("433101", 10, "湖南吉首"), ("433122", 5, "湖南泸溪"),
    ("433124", 5, "湖南花垣"), ("431226", 5, "湖南麻阳"),
)
HB_ORIGINS = (
    ("610902", 70, "陕西安康"), ("610921", 6, "陕西汉阴"), ("610922", 4, "陕西石泉"),
    ("610924", 6, "陕西紫阳"), ("610925", 5, "陕西岚皋"), ("610926", 5, "陕西平利"),
    ("610113", 4, "陕西西安"),
)
ALL_ORIGIN_CODES = sorted({c for t in (LUXI_ORIGINS, FH_ORIGINS, HB_ORIGINS) for c, _w, _p in t})

# Ethnicity codes (GB/T 3304): 01 汉, 06 苗, 15 土家, 12 侗, 13 瑶, 03 回.
LUXI_ETHNICITY = (("01", 45), ("06", 33), ("15", 18), ("12", 2), ("13", 1), ("03", 1))
FH_ETHNICITY = (("06", 50), ("01", 33), ("15", 15), ("12", 2))
HB_ETHNICITY = (("01", 97), ("03", 2), ("06", 1))

HUNAN_SCHOOLS = {
    "master": ("湖南大学", "湖南师范大学", "中南大学", "湘潭大学", "吉首大学"),
    "bachelor": ("吉首大学", "湖南师范大学", "湘潭大学", "湖南农业大学", "长沙理工大学",
                 "湖南科技大学", "怀化学院", "湖南大学", "中南林业科技大学", "湖南工商大学"),
    "college": ("湘西民族职业技术学院", "长沙民政职业技术学院", "湖南财政经济学院",
                "湖南警察学院", "怀化职业技术学院"),
    "secondary": ("湘西民族师范学校", "湖南省供销学校", "湘西州农业学校", "湘西州卫生学校"),
    "party_school": ("湖南省委党校", "中央党校函授学院", "湘西州委党校"),
}
SHAANXI_SCHOOLS = {
    "master": ("西北大学", "陕西师范大学", "西北政法大学", "西安交通大学"),
    "bachelor": ("西北大学", "陕西师范大学", "西北政法大学", "安康学院", "长安大学",
                 "西北农林科技大学", "西安石油大学", "延安大学"),
    "college": ("安康职业技术学院", "陕西财经职业技术学院", "杨凌职业技术学院"),
    "secondary": ("安康师范学校", "安康农业学校", "陕西省商业学校"),
    "party_school": ("陕西省委党校", "中央党校函授学院", "安康市委党校"),
}
# Major -> (bachelor's degree code, master's degree code), GB/T 6864.
MAJORS = (
    ("汉语言文学", "405", "305"), ("法学", "403", "341"), ("行政管理", "412", "349"),
    ("经济学", "402", "302"), ("会计学", "412", "346"), ("计算机科学与技术", "408", "343"),
    ("农学", "409", "347"), ("思想政治教育", "403", "303"), ("土木工程", "408", "343"),
    ("数学与应用数学", "407", "307"), ("历史学", "406", "306"), ("教育学", "404", "342"),
    ("公共事业管理", "412", "349"), ("新闻学", "405", "305"), ("临床医学", "410", "345"),
)
IN_SERVICE_MAJORS = ("经济管理", "法律", "行政管理", "党政管理", "公共管理")

SPOUSE_JOBS = (
    "{county}人民医院护士", "{county}第一中学教师", "{county}民族中学教师",
    "{county}城关小学教师", "{county}人民法院干部", "{county}税务局干部",
    "{county}供电公司职工", "{county}农村商业银行职员", "{county}中医医院医生",
    "个体经营", "{county}疾病预防控制中心干部", "{county}图书馆干部",
)
PARENT_JOBS = ("{county}{town}农民", "退休教师", "{county}粮食局退休职工", "{county}{town}村民",
               "退休干部", "{county}供销社退休职工", "务农")
REWARDS = (
    ("嘉奖", "{gov}"), ("记三等功", "{gov}"), ("优秀共产党员", "{party}"),
    ("优秀党务工作者", "{party}"), ("脱贫攻坚先进个人", "{party}、{gov}"),
    ("乡村振兴先进个人", "{party}、{gov}"), ("平安建设先进个人", "{party}"),
)
PUNISHMENTS = (("党内警告处分", "{discipline}"), ("政务警告处分", "{supervision}"))

L_COUNTY_HEAD = "132"  # 县处级副职: a county department head is a member of the standing committee
L_SECTION_FULL = "141"  # 乡科级正职
L_SECTION_DEPUTY = "142"  # 乡科级副职
L_CLERK = "150"  # 科员级
L_PROBATION = "199"  # 未定职公务员


# ---------------------------------------------------------------- helpers


def _weighted(table: str) -> list[tuple[str, int]]:
    return [(item[0], int(item[1:])) for item in table.split()]


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _month(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass
class County:
    """The settings of one demo department."""

    code: str  # GB/T 2260 code of the county
    place: str  # 泸溪县 / 汉滨区
    prefix: str  # 县 / 区
    region: str
    origins: tuple
    ethnicity: tuple
    schools: dict
    sections: tuple
    county_units: tuple
    towns: tuple
    committees: tuple = ()
    managed_target: int = 30
    deputy_sections: tuple = ()
    unit_group_name: str = "县直单位"
    town_group_name: str = "乡镇"

    @property
    def party(self) -> str:
        return f"中共{self.place}委"

    @property
    def gov(self) -> str:
        return f"{self.place}人民政府"

    def full_name(self, unit_name: str) -> str:
        """The official name of a unit of this county, for résumé lines and posts."""
        p = self.prefix
        if unit_name.startswith(f"{p}委"):
            return f"中共{self.place}{unit_name[1:]}"
        if unit_name == f"{p}政府办公室":
            return f"{self.place}人民政府办公室"
        if unit_name.startswith(p):
            return f"{self.place}{unit_name[1:]}"
        return f"{self.place}{unit_name}"



def _town_head(town: str) -> str:
    if town.endswith("乡"):
        return "乡长"
    if town.endswith("街道"):
        return "主任"
    return "镇长"


def _unit_head(unit: str) -> str:
    return "主任" if unit.endswith("办公室") else "局长"


# ---------------------------------------------------------------- managed posts

Slot = tuple[str, str, tuple[int, int], bool]  # post, level, age range, party member


def _county_unit_slots(rng: random.Random, name: str) -> list[Slot]:
    """Leading posts of a county unit, most senior first, then non-leading ranks (职级)."""
    head = _unit_head(name)
    has_group = not name.endswith("委办公室")  # a Party committee's office has no 党组
    lead = f"党组书记、{head}" if has_group else head
    deputy = f"党组成员、副{head}" if has_group else f"副{head}"
    slots: list[Slot] = [(lead, L_SECTION_FULL, (38, 56), True),
                         (deputy, L_SECTION_DEPUTY, (32, 54), True),
                         (deputy, L_SECTION_DEPUTY, (32, 54), True)]
    extra: list[Slot] = [(deputy, L_SECTION_DEPUTY, (32, 54), True),
                         ("一级主任科员", L_SECTION_FULL, (45, 57), True),
                         ("四级主任科员", L_SECTION_DEPUTY, (35, 55), True),
                         ("二级主任科员", L_SECTION_FULL, (42, 57), True),
                         ("三级主任科员", L_SECTION_DEPUTY, (38, 56), True)]
    if has_group:
        # Now and then a deputy from outside the Party (党外干部).
        extra.insert(1, (f"副{head}", L_SECTION_DEPUTY, (32, 54), rng.random() < 0.4))
    rng.shuffle(extra)
    return slots + extra


def _town_slots(rng: random.Random, name: str) -> list[Slot]:
    """The leadership team of a town (乡镇) or sub-district (街道)."""
    if name.endswith("街道"):
        slots = [("党工委书记", L_SECTION_FULL, (38, 55)),
                 ("党工委副书记、办事处主任", L_SECTION_FULL, (34, 52)),
                 ("党工委副书记", L_SECTION_DEPUTY, (32, 50)),
                 ("党工委委员、纪工委书记", L_SECTION_DEPUTY, (32, 52)),
                 ("党工委委员、办事处副主任", L_SECTION_DEPUTY, (30, 50)),
                 ("党工委委员、组织委员", L_SECTION_DEPUTY, (30, 50)),
                 ("办事处副主任", L_SECTION_DEPUTY, (30, 50))]
    else:
        chief = _town_head(name)
        slots = [("党委书记", L_SECTION_FULL, (38, 55)),
                 (f"党委副书记、{chief}", L_SECTION_FULL, (34, 52)),
                 ("人大主席", L_SECTION_FULL, (42, 56)),
                 ("党委副书记", L_SECTION_DEPUTY, (32, 50)),
                 ("党委委员、纪委书记", L_SECTION_DEPUTY, (32, 52)),
                 ("党委委员、组织委员", L_SECTION_DEPUTY, (30, 50)),
                 (f"党委委员、副{chief}", L_SECTION_DEPUTY, (30, 50)),
                 ("党委委员、宣传统战委员", L_SECTION_DEPUTY, (30, 50)),
                 ("党委委员、武装部部长", L_SECTION_DEPUTY, (30, 50)),
                 ("党委委员、政法委员", L_SECTION_DEPUTY, (30, 50)),
                 (f"副{chief}", L_SECTION_DEPUTY, (28, 48)),
                 ("人大副主席", L_SECTION_DEPUTY, (35, 55)),
                 (f"副{chief}", L_SECTION_DEPUTY, (28, 48)),
                 ("四级主任科员", L_SECTION_DEPUTY, (38, 56)),
                 ("一级主任科员", L_SECTION_FULL, (46, 57)),
                 ("三级主任科员", L_SECTION_DEPUTY, (40, 56))]
    out: list[Slot] = []
    for post, level, ages in slots:
        party = not (post.startswith("副") and rng.random() < 0.3)
        out.append((post, level, ages, party))
    return out


def _committee_slots(rng: random.Random, name: str) -> list[Slot]:
    return [("常务副书记", L_SECTION_FULL, (40, 56), True),
            ("副书记", L_SECTION_DEPUTY, (34, 54), True),
            ("四级主任科员", L_SECTION_DEPUTY, (35, 55), True)]


def _round_robin(lists: list[tuple[OrgUnit, list[Slot]]], target: int):
    """Take the most senior open post of each unit in turn until ``target`` are filled,
    so that every unit has its leader before any unit gets a fourth deputy."""
    taken: list[tuple[OrgUnit, Slot]] = []
    depth = 0
    while len(taken) < target:
        progressed = False
        for unit, slots in lists:
            if depth < len(slots) and len(taken) < target:
                taken.append((unit, slots[depth]))
                progressed = True
        if not progressed:
            break
        depth += 1
    return taken


# ---------------------------------------------------------------- departments

LUXI = County(
    code="433122", place="泸溪县", prefix="县",
    region="xiangxi", origins=LUXI_ORIGINS, ethnicity=LUXI_ETHNICITY, schools=HUNAN_SCHOOLS,
    sections=LUXI_SECTIONS, county_units=LUXI_COUNTY_UNITS, towns=LUXI_TOWNS,
    committees=LUXI_COMMITTEES, managed_target=300, deputy_sections=LUXI_DEPUTY_SECTIONS,
)
FENGHUANG = County(
    code="433123", place="凤凰县", prefix="县",
    region="xiangxi", origins=FH_ORIGINS, ethnicity=FH_ETHNICITY, schools=HUNAN_SCHOOLS,
    sections=FH_SECTIONS, county_units=FH_COUNTY_UNITS, towns=FH_TOWNS, managed_target=30,
    deputy_sections=(("组织室", "干部室"),),
)
HANBIN = County(
    code="610902", place="汉滨区", prefix="区",
    region="ankang", origins=HB_ORIGINS, ethnicity=HB_ETHNICITY, schools=SHAANXI_SCHOOLS,
    sections=HB_SECTIONS, county_units=HB_COUNTY_UNITS, towns=HB_TOWNS, managed_target=30,
    deputy_sections=(("组织科", "干部科"),), unit_group_name="区直单位",
    town_group_name="镇（街道）",
)
