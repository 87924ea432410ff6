"""Permission-matrix rows of the talent pages and endpoints (gathered by
tests/test_permission_matrix.py). Every business role reads its department's talent
database; leaders record talents, evaluations, contacts and matters; the team's entry and
exit is for the head and the deputy head over people in scope; administrators nothing."""

import datetime as dt

from tests.permissions import BUSINESS, expect, only
from zugong.core.audit import SYSTEM
from zugong.talent import services
from zugong.talent.models import PromotionProposal, ReserveCandidate, Rotation, Talent

DAY = dt.date(2026, 3, 2)
MANAGERS = ("head", "deputy", "chief", "outsider")
TEAM = ("head", "deputy", "outsider")


def _talent(cast):
    talent = Talent.objects.filter(department=cast.dept).first() or services.talent_create(
        by=SYSTEM, department=cast.dept, name="符建华", category="professional",
        employer="县人民医院", added_on=DAY, high_level=True, leader=cast.people["head"])
    return [talent.pk]


def _evaluate_body(cast):
    talent = Talent.objects.get(pk=_talent(cast)[0])
    return {"version": talent.version, "ability": "90", "results": "85",
            "contribution": "80", "evaluated_on": "2026-03-10"}


def _fresh_matter(cast):
    """A new open matter for each request, so every allowed solve succeeds."""
    talent = Talent.objects.get(pk=_talent(cast)[0])
    contact = services.contact_record(by=SYSTEM, talent=talent, leader=cast.people["head"],
                                      kind="visit", on=DAY,
                                      matters=[{"kind": "housing", "text": "人才公寓"}])
    return [contact.matters.get().pk]


def _solve_body(cast):
    from zugong.talent.models import TalentMatter

    matter = TalentMatter.objects.latest("pk")
    return {"version": matter.version, "solved_on": "2026-03-10", "solution": "已安排"}


def _candidate(cast):
    candidate = ReserveCandidate.objects.filter(person=cast.people["managed"]).first() or \
        services.candidate_add(by=SYSTEM, person=cast.people["managed"], source="grassroots",
                               on=DAY)
    return [candidate.pk]


def _fresh_proposal(cast):
    return [services.proposal_record(by=SYSTEM, person=cast.people["cadre"], post="副主任",
                                     reason="表现突出", on=DAY).pk]


def _decide_body(cast):
    proposal = PromotionProposal.objects.latest("pk")
    return {"version": proposal.version, "status": "approved", "decided_on": "2026-03-20"}


def _fresh_rotation(cast):
    return [services.rotation_plan(by=SYSTEM, person=cast.people["cadre"],
                                   to_unit=cast.sec_cadre, on=DAY).pk]


def _done_body(cast):
    rotation = Rotation.objects.latest("pk")
    return {"version": rotation.version, "done_on": "2026-03-20"}


SEE_TALENT = expect(200, outsider=404, sysadmin=403, secadmin=403, auditor=403)
WRITE_TALENT = expect(403, head=302, deputy=302, chief=302, outsider=404)
WRITE_TEAM = expect(403, head=302, deputy=302, outsider=404)

ROWS = {
    "talent:home": ("get", None, None, only(302, BUSINESS)),
    "talent:talents": ("get", None, None, only(200, BUSINESS)),
    "talent:talents_export": ("get", None, None, only(200, BUSINESS)),
    "talent:talent_add": ("get", None, None, only(200, MANAGERS)),
    "talent:talent": ("get", _talent, None, SEE_TALENT),
    "talent:talent_evaluate": ("post", _talent, _evaluate_body, WRITE_TALENT),
    "talent:contact_add": ("post", _talent,
                           lambda c: {"leader": c.people["chief"].pk, "kind": "visit",
                                      "on": "2026-03-05", "matter_kind_1": "hukou",
                                      "matter_text_1": "户籍迁入"},
                           WRITE_TALENT),
    "talent:matters": ("get", None, None, only(200, BUSINESS)),
    "talent:matter_solve": ("post", _fresh_matter, _solve_body, WRITE_TALENT),
    "talent:team": ("get", None, None, only(200, TEAM)),
    "talent:candidate_add": ("get", None, None, only(200, TEAM)),
    "talent:candidate": ("get", _candidate, None, expect(403, head=200, deputy=200,
                                                         outsider=404)),
    "talent:proposal_add": ("get", None, None, only(200, TEAM)),
    "talent:proposal_decide": ("post", _fresh_proposal, _decide_body, WRITE_TEAM),
    "talent:rotation_add": ("get", None, None, only(200, TEAM)),
    "talent:rotation_done": ("post", _fresh_rotation, _done_body, WRITE_TEAM),
    "talent:exit_add": ("get", None, None, only(200, TEAM)),
    "api:list_talent_talents": ("get", None, None, only(200, BUSINESS, anonymous=401)),
}
