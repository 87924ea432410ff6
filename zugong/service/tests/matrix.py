"""Permission-matrix rows of the service pages and endpoints (gathered by
tests/test_permission_matrix.py). A cadre keeps their own records; leaders over the cadre
write them too; everyone else in the department reads them; the other county's head and
the other section's cadre are told 404; the administrators 403."""

import datetime as dt
import itertools

from tests.permissions import BUSINESS, expect, only
from zugong.core.audit import SYSTEM
from zugong.service import services
from zugong.service.models import (
    Deed,
    Expert,
    ExpertOrder,
    Household,
    Problem,
    ProblemStatus,
    Visit,
)

DAY = dt.date(2026, 3, 2)
NAMES = itertools.count(1)


def _household(cast):
    person = cast.people["cadre"]
    return Household.objects.filter(person=person).first() or services.household_create(
        by=SYSTEM, person=person, name="张大爷", on=dt.date(2026, 1, 1), difficulty=True)


def _visit(cast):
    visit = Visit.objects.filter(person=cast.people["cadre"]).first() or \
        services.visit_record(by=SYSTEM, person=cast.people["cadre"], kind="household",
                              household=_household(cast), on=DAY, heard="反映饮水困难")
    return [visit.pk]


def _open_problem(cast):
    """An unsolved problem of the cadre (a new one once the last was solved)."""
    problem = Problem.objects.filter(person=cast.people["cadre"]).exclude(
        status__in=("solved", "rated")).first() or services.problem_raise(
        by=SYSTEM, person=cast.people["cadre"], title="村道路灯损坏", on=DAY)
    return [problem.pk]


def _solved_problem(cast):
    problem = Problem.objects.filter(person=cast.people["cadre"],
                                     status=ProblemStatus.SOLVED).first()
    if problem is None:
        raised = services.problem_raise(by=SYSTEM, person=cast.people["cadre"],
                                        title="饮水管道漏水", on=DAY)
        problem = services.problem_solve(by=SYSTEM, problem=raised, version=raised.version,
                                         solved_on=DAY, evidence="已维修")
    return [problem.pk]


def _version(pk):
    return Problem.objects.get(pk=pk).version


def _deed(cast):
    deed = Deed.objects.filter(person=cast.people["cadre"]).first() or services.deed_create(
        by=SYSTEM, person=cast.people["cadre"], title="帮助修缮活动场所", on=DAY)
    return [deed.pk]


def _expert(cast):
    return Expert.objects.filter(department=cast.dept).first() or services.expert_create(
        by=SYSTEM, department=cast.dept, name="向科", field="柑橘栽培")


def _order(cast, status="ordered"):
    """An order of the cadre in ``status`` (a new one once the last moved on)."""
    order = ExpertOrder.objects.filter(person=cast.people["cadre"], status=status).first()
    if order is None:
        order = services.order_place(by=SYSTEM, person=cast.people["cadre"],
                                     orderer_kind="village", orderer="白沙村",
                                     need="柑橘病虫害防治指导", on=DAY)
        if status in ("matched", "delivered"):
            order = services.order_match(by=SYSTEM, order=order, version=order.version,
                                         expert=_expert(cast), on=DAY)
        if status == "delivered":
            order = services.order_deliver(by=SYSTEM, order=order, version=order.version,
                                           on=DAY, delivery="现场授课一次")
    return [order.pk]


def _order_version(cast, status):
    return ExpertOrder.objects.get(pk=_order(cast, status)[0]).version


SEE_CADRE = expect(200, cadre2=404, outsider=404, sysadmin=403, secadmin=403,
                   auditor=403)
# Written by the cadre and the leaders over them; read-only for supervision and assessment.
KEEP_CADRE = expect(302, cadre2=404, outsider=404, supervisor=403, assessor=403,
                    sysadmin=403, secadmin=403, auditor=403)
KEPT = ("cadre", "head", "deputy", "chief")


def _pair_body(kind):
    def body(cast):
        data = {"person": cast.people["cadre"].pk, "on": "2026-01-01"}
        if kind == "point":
            data.update(kind="village", name=f"白沙村{next(NAMES)}")
        else:
            data.update(name="李大娘", difficulty="on")
        return data
    return body


ROWS = {
    "service:home": ("get", None, None, only(200, BUSINESS)),
    "service:visits": ("get", None, None, only(200, BUSINESS)),
    # Exports: each reader gets the rows of their own scope (an empty sheet at worst).
    "service:visits_export": ("get", None, None, only(200, BUSINESS)),
    "service:visit_add": ("get", None, None, only(200, BUSINESS)),
    "service:visit": ("get", _visit, None, SEE_CADRE),
    "service:problems": ("get", None, None, only(200, BUSINESS)),
    "service:problems_export": ("get", None, None, only(200, BUSINESS)),
    "service:problem_add": ("get", None, None, only(200, BUSINESS)),
    "service:problem": ("get", _open_problem, None, SEE_CADRE),
    "service:problem_assign": ("post", _open_problem, lambda c: {
        "version": _version(_open_problem(c)[0]), "handler_unit": "白沙镇人民政府",
        "on": "2026-03-03"}, KEEP_CADRE),
    "service:problem_solve": ("post", _open_problem, lambda c: {
        "version": _version(_open_problem(c)[0]), "solved_on": "2026-03-05",
        "evidence": "已协调修复"}, KEEP_CADRE),
    "service:problem_rate": ("post", _solved_problem, lambda c: {
        "version": _version(_solved_problem(c)[0]), "satisfaction": "satisfied",
        "rated_on": "2026-03-06"}, KEEP_CADRE),
    "service:problem_code": ("post", _solved_problem, None,
                             {**KEEP_CADRE, **dict.fromkeys(KEPT, 200)}),
    # The public's page: no account; nothing shows without a valid code.
    "service:public_rate": ("get", None, None, expect(200, anonymous=200)),
    "service:deliveries": ("get", None, None, only(200, BUSINESS)),
    "service:deeds": ("get", None, None, only(200, BUSINESS)),
    "service:deed_status": ("post", _deed, lambda c: {
        "version": Deed.objects.get(pk=_deed(c)[0]).version, "status": "doing"},
        KEEP_CADRE),
    "service:pairings": ("get", None, None, only(200, BUSINESS)),
    # Whose pairing it is comes from the body: a cadre outside the user's keeping is
    # not among the form's choices (400 with the scope message, nothing written).
    "service:point_add": ("post", None, _pair_body("point"),
                          expect(400, anonymous=302, sysadmin=403, secadmin=403, auditor=403,
                                 **dict.fromkeys(KEPT, 302))),
    "service:household_add": ("post", None, _pair_body("household"),
                              expect(400, anonymous=302, sysadmin=403, secadmin=403,
                                     auditor=403, **dict.fromkeys(KEPT, 302))),
    "service:liaisons": ("get", None, None, only(200, BUSINESS)),
    "service:experts": ("get", None, None, only(200, BUSINESS)),
    "service:orders": ("get", None, None, only(200, BUSINESS)),
    "service:orders_export": ("get", None, None, only(200, BUSINESS)),
    "service:order": ("get", _order, None, SEE_CADRE),
    "service:order_match": ("post", _order, lambda c: {
        "version": _order_version(c, "ordered"), "expert": _expert(c).pk,
        "on": "2026-03-03"}, KEEP_CADRE),
    "service:order_deliver": ("post", lambda c: _order(c, "matched"), lambda c: {
        "version": _order_version(c, "matched"), "on": "2026-03-05",
        "delivery": "现场授课一次"}, KEEP_CADRE),
    "service:order_rate": ("post", lambda c: _order(c, "delivered"), lambda c: {
        "version": _order_version(c, "delivered"), "score": "5"}, KEEP_CADRE),
    "service:coverage": ("get", None, None, only(200, BUSINESS)),
    "service:coverage_export": ("get", None, None, only(200, BUSINESS)),
    "service:rules": ("get", None, None, only(200, BUSINESS)),
    "service:person_tab": ("get", lambda c: [c.people["cadre"].pk], None, SEE_CADRE),
    "api:list_service_problems": ("get", None, None, only(200, BUSINESS, anonymous=401)),
    "api:get_service_problem": ("get", _open_problem, None, {**SEE_CADRE, None: 401}),
    "api:list_service_visits": ("get", None, None, only(200, BUSINESS, anonymous=401)),
    "api:create_service_visit": (
        "post", None, lambda c: {"kind": "household", "household_id": _household(c).pk,
                                 "on": "2026-03-02", "heard": "反映饮水困难"},
        expect(422, cadre=201, anonymous=401, sysadmin=403, secadmin=403, auditor=403)),
    "api:list_service_orders": ("get", None, None, only(200, BUSINESS, anonymous=401)),
    "api:get_service_order": ("get", _order, None, {**SEE_CADRE, None: 401}),
    # Every member with a cadre record takes orders for themself.
    "api:create_service_order": (
        "post", None, lambda c: {"orderer_kind": "enterprise", "orderer": "湘西果业",
                                 "need": "冷链仓储技术咨询", "on": "2026-03-02"},
        expect(201, anonymous=401, sysadmin=403, secadmin=403, auditor=403)),
    "api:list_service_liaisons": ("get", None, None, only(200, BUSINESS, anonymous=401)),
    "api:create_service_liaison": (
        "post", None, lambda c: {"kind": "expert", "target": f"专家{next(NAMES)}",
                                 "on": "2026-03-02", "topic": "柑橘产业调研"},
        expect(201, anonymous=401, sysadmin=403, secadmin=403, auditor=403)),
    "api:list_service_deliveries": ("get", None, None, only(200, BUSINESS, anonymous=401)),
    # The household comes from the body: only the cadre's own is found; anyone else with
    # the capability is told to choose their own household (422, nothing written).
    "api:create_service_delivery": (
        "post", None, lambda c: {"household_id": _household(c).pk, "item": "policy",
                                 "on": "2026-03-02", "note": "送去医保政策"},
        expect(422, cadre=201, anonymous=401, sysadmin=403, secadmin=403, auditor=403)),
    "api:list_service_deeds": ("get", None, None, only(200, BUSINESS, anonymous=401)),
    # Every member with a cadre record takes on practical matters of their own.
    "api:create_service_deed": (
        "post", None, lambda c: {"title": "帮助修缮村级活动场所", "on": "2026-03-02"},
        expect(201, anonymous=401, sysadmin=403, secadmin=403, auditor=403)),
    "api:move_service_deed": ("post", _deed, lambda c: {
        "version": Deed.objects.get(pk=_deed(c)[0]).version, "status": "doing"},
        {**KEEP_CADRE, **dict.fromkeys(KEPT, 200), None: 401}),
}


def _household_end_body(cast):
    household = Household.objects.get(pk=_household(cast).pk)
    return {"version": household.version, "until": "2026-06-30", "reason": "帮扶对象调整"}


ROWS.update({
    # Ending a pairing: whoever keeps the cadre's records (a second end is refused with a
    # message on the page, still a redirect).
    "service:pairing_end": ("post", lambda c: ["household", _household(c).pk],
                            _household_end_body, KEEP_CADRE),
})
