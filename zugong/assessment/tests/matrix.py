"""Permission-matrix rows of the assessment pages and endpoints.

Same shape as ``MATRIX`` in tests/test_permission_matrix.py, which collects them. The plans
assess the 组织室 (the chief and the cadre) of the cast's department."""

import datetime as dt

from django.utils import timezone

from tests.permissions import BUSINESS, expect, only
from zugong.assessment import services
from zugong.assessment.models import (
    Appeal,
    AppealOutcome,
    EverydayNote,
    Indicator,
    Plan,
    RaterGroup,
)

from .helpers import sheet_values

MANAGERS = ("head", "assessor")
VISIBLE = {**only(200, BUSINESS), "outsider": 404}
MANAGE_POST = expect(403, head=302, assessor=302, outsider=404)
MANAGE_GET = expect(403, head=200, assessor=200, outsider=404)
SEE_CADRE = expect(403, head=200, deputy=200, chief=200, cadre=200, cadre2=404, outsider=404,
                   supervisor=200, assessor=200)
CADRE_RESULT_MANAGE = expect(403, head=302, assessor=302, cadre2=404, outsider=404)


def _plan(cast, name, *, groups, status="draft"):
    plan = Plan.objects.filter(name=name).first()
    if plan is not None:
        return plan
    today = timezone.localdate()
    plan = services.plan_create(by=cast["assessor"], department=cast.dept, data={
        "name": name, "kind": "annual", "period": str(today.year),
        "window_start": today - dt.timedelta(days=1),
        "window_end": today + dt.timedelta(days=30)}, units=[cast.sec_org])
    services.group_weights_set(by=None, plan=plan, weights=groups)
    services.indicator_add(by=None, plan=plan, name="政治素质", weight=100)
    if status != "draft":
        services.plan_open(by=None, plan=plan, version=plan.version)
    if status == "closed":
        # Every rater group rates everyone (closing refuses while a group gave no rating).
        values = sheet_values(plan, {a.person: (80,) for a in plan.assessees.all()})
        services.scores_submit(by=cast["head"], plan=plan, group=RaterGroup.HEAD,
                               values=values)
        for voter in ("cadre", "chief"):  # nobody votes for themselves
            services.ballots_submit(by=cast[voter], plan=plan, group=RaterGroup.DEMOCRATIC,
                                    values=values)
        plan.refresh_from_db()
        services.plan_close(by=None, plan=plan, version=plan.version)
    return plan


def _note(cast):
    """An everyday note about the cadre (one per test, made again once deleted)."""
    note = EverydayNote.objects.filter(person=cast.people["cadre"]).first() or \
        services.everyday_note_add(by=None, person=cast.people["cadre"],
                                   on=timezone.localdate(), positive=True, text="主动加班")
    return [note.pk]


def _draft(cast):
    return _plan(cast, "草稿方案", groups={RaterGroup.HEAD: 60, RaterGroup.DEMOCRATIC: 40})


def _scoring(cast):
    return _plan(cast, "评分中方案", status="scoring", groups={
        RaterGroup.SELF: 10, RaterGroup.CHIEF: 30, RaterGroup.HEAD: 20,
        RaterGroup.DEMOCRATIC: 30, RaterGroup.OUTSIDERS: 10})


def _closed(cast):
    return _plan(cast, "已结束方案", status="closed",
                 groups={RaterGroup.HEAD: 60, RaterGroup.DEMOCRATIC: 40})


def _fresh_draft(cast):
    """A new draft for each request (opening spends it)."""
    _fresh_draft.n = getattr(_fresh_draft, "n", 0) + 1
    return [_plan(cast, f"待开启方案{_fresh_draft.n}",
                  groups={RaterGroup.HEAD: 60, RaterGroup.DEMOCRATIC: 40}).pk]


def _fresh_scoring(cast):
    _fresh_scoring.n = getattr(_fresh_scoring, "n", 0) + 1
    return [_plan(cast, f"待结束方案{_fresh_scoring.n}", status="scoring",
                  groups={RaterGroup.HEAD: 60, RaterGroup.DEMOCRATIC: 40}).pk]


def _cadre_of(plan, cast):
    return plan.assessees.get(person=cast.people["cadre"])


def _settings_body(cast):
    plan = Plan.objects.get(pk=_draft(cast).pk)
    return {"version": plan.version, "window_start": plan.window_start.isoformat(),
            "window_end": plan.window_end.isoformat(), "top_quota": "20",
            "tie_rule": "none", "appeal_days": "10", "band_0": "90", "band_1": "75",
            "band_2": "60"}


def _new_indicator(cast):
    return [Indicator.objects.create(plan=_draft(cast), name="临时", weight=1).pk]


def _adjust_body(cast):
    current = _cadre_of(_closed(cast), cast).grade
    return {"grade": "competent" if current != "competent" else "basic", "reason": "复核"}


def _pending_appeal(cast):
    a = _cadre_of(_closed(cast), cast)
    Appeal.objects.update_or_create(assessee=a, defaults={
        "outcome": AppealOutcome.PENDING, "reason": "不服", "filed_on": timezone.localdate()})
    return [a.pk]


def _ballot(cast):
    plan = _scoring(cast)
    ind = plan.indicators.get()
    return {"group": "democratic",
            "values": {f"{a.pk}-{ind.pk}": "90" for a in plan.assessees.all()}}


def _reward_body(cast):
    """The cadre was 优秀 last year (one A15 entry per test)."""
    from zugong.people import services as people_services
    from zugong.people.models import AnnualAssessment

    year = timezone.localdate().year - 1
    if not AnnualAssessment.objects.filter(person=cast.people["cadre"], year=year).exists():
        people_services.subrecord_add(by=None, person=cast.people["cadre"], kind="assessments",
                                      data={"year": year, "result": "1"})
    return {"person": cast.people["cadre"].pk, "year": str(year)}


ROWS = {
    "assessment:home": ("get", None, None, only(200, BUSINESS)),
    "assessment:plans": ("get", None, None, only(200, BUSINESS)),
    "assessment:plan_add": ("get", None, None, only(200, (*MANAGERS, "outsider"))),
    "assessment:plan": ("get", lambda c: [_draft(c).pk], None, VISIBLE),
    "assessment:plan_delete": ("post", lambda c: [_draft(c).pk], None, MANAGE_POST),
    "assessment:plan_settings": ("post", lambda c: [_draft(c).pk], _settings_body, MANAGE_POST),
    "assessment:plan_groups": ("post", lambda c: [_draft(c).pk],
                               lambda c: {"head": "60", "democratic": "40"}, MANAGE_POST),
    "assessment:indicator_add": ("post", lambda c: [_draft(c).pk],
                                 lambda c: {"name": "个性指标", "weight": "10",
                                            "max_score": "100"}, MANAGE_POST),
    "assessment:indicator_delete": ("post", _new_indicator, None, MANAGE_POST),
    "assessment:plan_open": ("post", _fresh_draft, None, MANAGE_POST),
    "assessment:plan_close": ("post", _fresh_scoring, None, MANAGE_POST),
    "assessment:plan_template": ("post", lambda c: [_draft(c).pk],
                                 lambda c: {"name": "本部模板"}, MANAGE_POST),
    "assessment:codes": ("post", lambda c: [_scoring(c).pk], lambda c: {"count": "3"},
                         MANAGE_GET),
    "assessment:veto": ("post", lambda c: [_cadre_of(_scoring(c), c).pk],
                        lambda c: {"admonished": "on", "veto_note": "诫勉谈话"},
                        CADRE_RESULT_MANAGE),
    "assessment:vetoes": ("post", lambda c: [_scoring(c).pk],
                          lambda c: {f"admonished_{_cadre_of(_scoring(c), c).pk}": "on",
                                     f"veto_note_{_cadre_of(_scoring(c), c).pk}": "诫勉谈话"},
                          MANAGE_POST),
    "assessment:progress": ("get", lambda c: [_scoring(c).pk], None, MANAGE_GET),
    "assessment:score": ("get", lambda c: [_scoring(c).pk, "democratic"], None, VISIBLE),
    "assessment:outsider": ("get", lambda c: [_scoring(c).pk], None, expect(200, anonymous=200)),
    "assessment:results": ("get", lambda c: [_closed(c).pk], None, VISIBLE),
    "assessment:results_export": ("get", lambda c: [_closed(c).pk], None, VISIBLE),
    "assessment:result": ("get", lambda c: [_cadre_of(_closed(c), c).pk], None, SEE_CADRE),
    "assessment:adjust": ("post", lambda c: [_cadre_of(_closed(c), c).pk], _adjust_body,
                          CADRE_RESULT_MANAGE),
    # The cadre's result is complete: the office's decision is refused (422) for managers.
    "assessment:gap_decide": ("post", lambda c: [_cadre_of(_closed(c), c).pk],
                              lambda c: {"decision": "zero", "reason": "未评分"},
                              expect(403, head=422, assessor=422, cadre2=404, outsider=404)),
    "assessment:feedback": ("post", lambda c: [_cadre_of(_closed(c), c).pk],
                            lambda c: {"strengths": "工作扎实", "shortcomings": "创新不足",
                                       "direction": "加强学习"}, CADRE_RESULT_MANAGE),
    "assessment:acknowledge": ("post", lambda c: [_cadre_of(_closed(c), c).pk], None,
                               expect(403, cadre=302, cadre2=404, outsider=404)),
    "assessment:appeal": ("post", lambda c: [_cadre_of(_closed(c), c).pk],
                          lambda c: {"reason": "对等次有异议"},
                          expect(403, cadre=302, cadre2=404, outsider=404)),
    "assessment:appeal_answer": ("post", _pending_appeal,
                                 lambda c: {"outcome": "rejected", "answer": "经复核维持"},
                                 CADRE_RESULT_MANAGE),
    "assessment:templates": ("get", None, None, only(200, BUSINESS)),
    "assessment:notes": ("get", None, None, only(200, BUSINESS)),
    # Whoever keeps the cadre's everyday record (the leaders in scope) deletes a note; the
    # cadre reads it (403); the others do not see it (404).
    "assessment:note_delete": ("post", _note, None,
                               expect(403, head=302, deputy=302, chief=302, cadre2=404,
                                      outsider=404, supervisor=404, assessor=404)),
    "assessment:history": ("get", None, None, only(200, BUSINESS)),
    "assessment:person_tab": ("get", lambda c: [c.people["cadre"].pk], None, SEE_CADRE),
    "assessment:consequences": ("get", None, None, only(200, (*MANAGERS, "outsider"))),
    "assessment:consequences_export": ("get", None, None,
                                       only(200, (*MANAGERS, "outsider"))),
    "assessment:consequence_rule": ("post", None,
                                    lambda c: {"consequence": "reward", "grades": ["1"],
                                               "years": "1"},
                                    only(302, (*MANAGERS, "outsider"))),
    "assessment:consequence_reward": ("post", None, _reward_body,
                                      expect(403, head=302, assessor=302, outsider=404)),
    "api:list_plans": ("get", None, None, only(200, BUSINESS, anonymous=401)),
    "api:get_plan": ("get", lambda c: [_draft(c).pk], None, {**VISIBLE, None: 401}),
    "api:delete_plan": ("delete", lambda c: [_draft(c).pk], None,
                        {**MANAGE_POST, "head": 204, "assessor": 204, None: 401}),
    "api:create_plan": ("post", None,
                        lambda c: {"name": "API方案", "kind": "annual", "period": "2026",
                                   "window_start": "2026-12-01", "window_end": "2026-12-31"},
                        only(201, (*MANAGERS, "outsider"), anonymous=401)),
    "api:submit_ballot": ("post", lambda c: [_scoring(c).pk], _ballot,
                          {**only(201, BUSINESS, anonymous=401), "outsider": 404}),
    "api:get_results": ("get", lambda c: [_closed(c).pk], None, {**VISIBLE, None: 401}),
}
