"""Permission-matrix rows of the ability pages and endpoints (gathered by
tests/test_permission_matrix.py). Every member of a department reads its lectures; the
head, deputies and section chiefs record them; another department's head (the outsider)
sees only their own department's; the administrators nothing."""

import datetime as dt

from tests.permissions import BUSINESS, expect, only
from zugong.ability import services
from zugong.ability.models import Lecture
from zugong.core.audit import SYSTEM

DAY = dt.date(2026, 3, 6)
MANAGERS = ("head", "deputy", "chief")


def _lecture(cast):
    lecture = Lecture.objects.filter(department=cast.dept).first()
    if lecture is None:
        p = cast.people
        lecture = services.lecture_record(
            by=SYSTEM, department=cast.dept, topic="party", title="党建研究专题", held_on=DAY,
            lecturers=[p["chief"]], discussants=[p["cadre"], p["cadre2"], p["supervisor"]],
            audience=[p["assessor"], p["head"]])
    return [lecture.pk]


SEE_LECTURE = expect(403, head=200, deputy=200, chief=200, cadre=200, cadre2=200,
                     supervisor=200, assessor=200, outsider=404)

ROWS = {
    "ability:home": ("get", None, None, only(302, BUSINESS)),
    "ability:lectures": ("get", None, None, only(200, BUSINESS)),
    "ability:lectures_export": ("get", None, None, only(200, BUSINESS)),
    "ability:lecture_add": ("get", None, None, only(200, (*MANAGERS, "outsider"))),
    "ability:lecture": ("get", _lecture, None, SEE_LECTURE),
    "ability:lecture_edit": ("get", _lecture, None,
                             {**SEE_LECTURE, "cadre": 403, "cadre2": 403, "supervisor": 403,
                              "assessor": 403}),
    "api:list_ability_lectures": ("get", None, None, only(200, BUSINESS, anonymous=401)),
    "api:get_ability_lecture": ("get", _lecture, None, {**SEE_LECTURE, None: 401}),
}
