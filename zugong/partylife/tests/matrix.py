"""Permission-matrix rows of the Party life pages and endpoints (gathered by
tests/test_permission_matrix.py).

The cast's branch is the department (泸溪县委组织部) and the 组织室 its Party group. The
fixture meeting is the branch's: the head records it; the chief, the cadre (present) and the
cadre2 (absent) see it through their attendance; the supervision officer and the assessment
office see it through their scope; the deputy (in charge of the 组织室 and the county unit,
not the department's own unit) and the outsider do not. Administrators see nothing."""

import datetime as dt

from tests.permissions import BUSINESS, expect, only
from zugong.core.audit import SYSTEM
from zugong.partylife import services
from zugong.partylife.models import Meeting, Problem, RectMeasure

DAY = dt.date(2026, 3, 2)
LEADERS = ("head", "deputy", "chief", "outsider")
ADMINS_403 = {"sysadmin": 403, "secadmin": 403, "auditor": 403}


def _meeting(cast):
    m = Meeting.objects.filter(unit=cast.dept, kind="assembly").first() or \
        services.meeting_record(
            by=SYSTEM, unit=cast.dept, kind="assembly", held_on=DAY, title="支部党员大会",
            chair=cast.people["head"],
            present=[cast.people[n] for n in ("head", "chief", "cadre")],
            absent=[(cast.people["cadre2"], "出差")], minutes="会议记录", sensitive=True)
    return [m.pk]


def _life_meeting(cast):
    m = Meeting.objects.filter(unit=cast.dept, kind="org_life").first() or \
        services.meeting_record(
            by=SYSTEM, unit=cast.dept, kind="org_life", held_on=DAY, title="组织生活会",
            chair=cast.people["head"],
            present=[cast.people[n] for n in ("head", "chief", "cadre", "cadre2")])
    return [m.pk, "problem"]


def _minutes_body(cast):
    m = Meeting.objects.get(pk=_meeting(cast)[0])
    return {"version": m.version, "minutes": "补充记录", "sensitive": "on"}


def _problem(cast):
    p = Problem.objects.filter(person=cast.people["cadre"]).first() or \
        services.problem_record(by=SYSTEM, source="inspection", description="会议记录不完整",
                                found_on=DAY, person=cast.people["cadre"])
    return [p.pk]


def _open_measure(cast):
    m = RectMeasure.objects.filter(owner=cast.people["cadre"], status="open").first() or \
        services.measure_set(by=SYSTEM, problem=Problem.objects.get(pk=_problem(cast)[0]),
                             owner=cast.people["cadre"], action="补齐会议记录",
                             deadline=DAY + dt.timedelta(days=30), set_on=DAY)
    return [m.pk]


def _submitted(cast):
    m = RectMeasure.objects.filter(owner=cast.people["cadre"], status="submitted").first()
    if m is None:
        m = RectMeasure.objects.get(pk=_open_measure(cast)[0])
        m = services.measure_submit(by=SYSTEM, measure=m, version=m.version,
                                    evidence="已补齐", on=DAY + dt.timedelta(days=5))
    return [m.pk]


def _version(pick):
    def body(cast):
        return {"version": RectMeasure.objects.get(pk=pick(cast)[0]).version}
    return body


SEE_MEETING = expect(404, head=200, chief=200, cadre=200, cadre2=200, supervisor=200,
                     assessor=200, **ADMINS_403)
# A problem or measure about the cadre: the cadre and whoever has the cadre in scope.
SEE_CADRE = expect(404, head=200, deputy=200, chief=200, cadre=200, supervisor=200,
                   assessor=200, **ADMINS_403)

ROWS = {
    "partylife:home": ("get", None, None, only(302, BUSINESS)),
    "partylife:meetings": ("get", None, None, only(200, BUSINESS)),
    "partylife:meeting_add": ("get", None, None, only(200, LEADERS)),
    "partylife:meeting": ("get", _meeting, None, SEE_MEETING),
    # Only a recorder of the branch writes the minutes; others who see it are refused.
    "partylife:meeting_minutes": ("post", _meeting, _minutes_body,
                                  {**SEE_MEETING, "head": 302, "chief": 403, "cadre": 403,
                                   "cadre2": 403, "supervisor": 403, "assessor": 403}),
    # The cadre marks their own attendance; the head anyone's; the others do not find the
    # cadre among the people they may mark.
    "partylife:attendance_mark": ("post", _meeting,
                                  lambda c: {"person": c.people["cadre"].pk,
                                             "status": "present"},
                                  {**SEE_MEETING, "head": 302, "chief": 404, "cadre": 302,
                                   "cadre2": 404, "supervisor": 404, "assessor": 404}),
    # Every member of the branch who sees the meeting records their own problem there.
    "partylife:meeting_flow": ("post", _life_meeting, lambda c: {"description": "学习不够"},
                               {**SEE_MEETING, "head": 302, "chief": 302, "cadre": 302,
                                "cadre2": 302, "supervisor": 302, "assessor": 302}),
    "partylife:duties": ("get", None, None, only(200, BUSINESS)),
    "partylife:problems": ("get", None, None, only(200, BUSINESS)),
    "partylife:problem_add": ("get", None, None, only(200, BUSINESS)),
    "partylife:problem": ("get", _problem, None, SEE_CADRE),
    "partylife:measures": ("get", None, None, only(200, BUSINESS)),
    "partylife:measures_export": ("get", None, None, only(200, BUSINESS)),
    "partylife:measure": ("get", _open_measure, None, SEE_CADRE),
    # Only the owner submits evidence.
    "partylife:measure_submit": ("post", _open_measure,
                                 lambda c: {**_version(_open_measure)(c), "evidence": "已完成"},
                                 {**SEE_CADRE, "head": 403, "deputy": 403, "chief": 403,
                                  "cadre": 302, "supervisor": 403, "assessor": 403}),
    # Someone other than the owner, with the right over the owner, verifies.
    "partylife:measure_verify": ("post", _submitted,
                                 lambda c: {**_version(_submitted)(c), "passed": "1",
                                            "note": "到位"},
                                 {**SEE_CADRE, "head": 302, "deputy": 302, "chief": 302,
                                  "cadre": 403, "supervisor": 302, "assessor": 403}),
    # Leaders over a department: the head (and the outsider, in their own department);
    # the deputy and the chief lead sections, not a department.
    "partylife:coverage": ("get", None, None, expect(403, head=200, outsider=200,
                                                     deputy=404, chief=404)),
    "partylife:rule_set": ("post", None,
                           lambda c: {"kind": "committee", "frequency": "month", "times": 2},
                           expect(403, head=302, outsider=302, deputy=404, chief=404)),
    "partylife:person_tab": ("get", lambda c: [c.people["cadre"].pk], None,
                             expect(403, head=200, deputy=200, chief=200, outsider=404)),
    "api:list_party_meetings": ("get", None, None, only(200, BUSINESS, anonymous=401)),
    "api:create_party_meeting": (
        "post", None,
        lambda c: {"unit_id": c.dept.pk, "kind": "assembly", "held_on": "2026-03-01",
                   "title": "支部党员大会", "chair_id": c.people["head"].pk,
                   "present_ids": [c.people["head"].pk, c.people["cadre"].pk]},
        expect(403, head=201, deputy=422, chief=422, outsider=422, anonymous=401)),
    "api:list_rectification_measures": ("get", None, None,
                                        only(200, BUSINESS, anonymous=401)),
}
