"""Permission-matrix rows of the talks pages and endpoints.

Same shape as ``MATRIX`` in tests/test_permission_matrix.py, which collects them."""

import datetime as dt

from tests.permissions import BUSINESS, expect, only
from zugong.people.models import Person, PostHistory
from zugong.talks import services
from zugong.talks.models import (
    CoverageRule,
    FollowUp,
    Talk,
    Term,
    Visit,
    VisitProblem,
)

DAY = dt.date(2026, 3, 2)
MANAGERS = ("head", "deputy", "chief", "outsider")


def _talk(cast):
    """The head's talk with the cadre (one per test, reused by every cast member)."""
    talk = Talk.objects.first()
    if talk is None:
        talk = services.talk_record(by=cast["head"], with_people=[cast.people["cadre"]],
                                    held_on=DAY, kind="heart", summary="谈工作和家庭",
                                    follow_ups=[{"text": "报名培训",
                                                 "owner": cast.people["cadre"],
                                                 "due_on": dt.date(2026, 4, 1)}])
    return talk


def _follow_up(cast):
    return [FollowUp.objects.filter(talk=_talk(cast)).first().pk]


def _rule(cast):
    rule = CoverageRule.objects.filter(is_active=True).first() or services.rule_add(
        by=None, department=cast.dept, relation="chief_section", threshold=2)
    return [rule.pk]


def _visit(cast):
    visit = Visit.objects.first() or services.visit_record(
        by=cast["head"], person=cast.people["managed"], visitors=[], kind="tour", on=DAY,
        place="县教育局", findings="工作状态良好", problems=[{"text": "编制紧张"}])
    return visit


def _term(cast):
    if not Term.objects.exists():
        services.term_create(by=None, department=cast.dept, name="第十四届",
                             start=dt.date(2021, 9, 1), end=dt.date(2026, 8, 31))
    return []


def _problem(cast):
    _visit(cast)
    return [VisitProblem.objects.first().pk]


def _move_body(cast):
    """Move the cadre from 组织室 to 干部室; each member starts from 组织室 again."""
    cadre = cast.people["cadre"]
    PostHistory.objects.filter(person=cadre).delete()
    Person.objects.filter(pk=cadre.pk).update(unit=cast.sec_org, unit_path=cast.sec_org.path)
    return {"dept": cast.dept.pk, "person": cadre.pk, "to_unit": cast.sec_cadre.pk,
            "on": "2026-03-01"}


SEE_CADRE = expect(403, head=200, deputy=200, chief=200, cadre=200, cadre2=404, outsider=404,
                   supervisor=200, assessor=200)
SEE_MANAGED = expect(403, head=200, deputy=200, chief=404, cadre=404, cadre2=404,
                     outsider=404, supervisor=200, assessor=200)

# The head held the talk: only they may delete it (the deputy and the chief see it through
# the cadre but manage talks over neither the head nor the head's department).
DELETE_TALK = expect(403, head=302, cadre2=404, outsider=404)
# Whoever records visits to the managed cadre deletes them: the head and the deputy in charge.
DELETE_VISIT = expect(403, head=302, deputy=302, chief=404, cadre=404, cadre2=404,
                      outsider=404)

ROWS = {
    "talks:home": ("get", None, None, only(200, BUSINESS)),
    "talks:talk_add": ("get", None, None, only(200, BUSINESS)),
    "talks:list": ("get", None, None, only(200, BUSINESS)),
    "talks:export": ("get", None, None, only(200, BUSINESS)),
    "talks:talk": ("get", lambda c: [_talk(c).pk], None, SEE_CADRE),
    # Only a party other than the one who held the talk confirms it (the cadre here).
    "talks:talk_confirm": ("post", lambda c: [_talk(c).pk], None,
                           expect(403, cadre=302, cadre2=404, outsider=404)),
    "talks:talk_delete": ("post", lambda c: [_talk(c).pk], None, DELETE_TALK),
    "talks:followup_done": ("post", _follow_up, None,
                            expect(403, head=302, cadre=302, cadre2=404, outsider=404,
                                   supervisor=403)),
    "talks:coverage": ("get", None, None, only(200, BUSINESS)),
    "talks:coverage_export": ("get", None, None, only(200, BUSINESS)),
    "talks:rules": ("get", None, None, only(200, BUSINESS)),
    "talks:rule_retire": ("post", _rule, None, expect(403, head=302, outsider=404)),
    "talks:events": ("get", None, None, only(200, BUSINESS)),
    "talks:unit_change": ("post", None, _move_body,
                          expect(403, head=302, deputy=302, chief=302, outsider=404)),
    "talks:visits": ("get", _term, None, only(200, BUSINESS)),
    "talks:term_add": ("post", None,
                       lambda c: {"dept": c.dept.pk, "name": "第十五届", "start": "2026-09-01",
                                  "end": "2031-08-31", "follow_up_months": "6,12",
                                  "handling_days": "7"},
                       expect(403, head=302, outsider=404)),
    "talks:visit_add": ("get", None, None, only(200, MANAGERS)),
    "talks:visits_export": ("get", None, None, only(200, BUSINESS)),
    "talks:visit": ("get", lambda c: [_visit(c).pk], None, SEE_MANAGED),
    "talks:visit_delete": ("post", lambda c: [_visit(c).pk], None, DELETE_VISIT),
    "talks:problem": ("post", _problem,
                      lambda c: {f"p{_problem(c)[0]}-follow_up": "已协调",
                                 f"p{_problem(c)[0]}-solved_on": "2026-03-05"},
                      expect(403, head=302, deputy=302, chief=404, cadre=404, cadre2=404,
                             outsider=404, supervisor=403, assessor=403)),
    "talks:flags": ("get", lambda c: [c.people["managed"].pk], None, SEE_MANAGED),
    "talks:person_tab": ("get", lambda c: [c.people["cadre"].pk], None, SEE_CADRE),
    "api:list_talks": ("get", None, None, only(200, BUSINESS, anonymous=401)),
    "api:talk_coverage": ("get", None, None, only(200, BUSINESS, anonymous=401)),
    "api:get_talk": ("get", lambda c: [_talk(c).pk], None,
                     {**SEE_CADRE, None: 401}),
    "api:delete_talk": ("delete", lambda c: [_talk(c).pk], None,
                        {**DELETE_TALK, "head": 204, None: 401}),
    "api:create_talk": ("post", None,
                        lambda c: {"with_ids": [c.people["chief"].pk], "held_on": "2026-03-01",
                                   "kind": "heart"},
                        expect(201, chief=422, outsider=422, sysadmin=403, secadmin=403,
                               auditor=403, anonymous=401)),
    "api:list_visits": ("get", None, None, only(200, BUSINESS, anonymous=401)),
    "api:create_visit": ("post", None,
                         lambda c: {"person_id": c.people["managed"].pk, "kind": "tour",
                                    "on": "2026-03-01", "place": "县教育局"},
                         expect(403, head=201, deputy=201, chief=422, outsider=422,
                                anonymous=401)),
    "api:visit_plan": ("get", _term, None, expect(200, outsider=404, sysadmin=403,
                                                  secadmin=403, auditor=403, anonymous=401)),
}
