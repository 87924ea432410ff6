"""The ability app's part of the whole (see zugong/core/registry.py)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zugong.core.registry import Job, NavEntry, PersonTab, Plugin, grants
from zugong.people.access import BUSINESS_ROLES, LEADER_ROLES

from .access import Cap

PLUGIN = Plugin(
    capabilities={
        Cap.ABILITY_VIEW: "read the department's lectures, training, mentoring and topics",
        Cap.ABILITY_MANAGE: "record the department's lectures, training, mentoring and topics",
    },
    grants=grants(
        (BUSINESS_ROLES, {Cap.ABILITY_VIEW}),
        (LEADER_ROLES, {Cap.ABILITY_MANAGE}),
    ),
    nav=(NavEntry("ability:home", _("Ability"), Cap.ABILITY_VIEW, order=62),),
    subnav=(
        NavEntry("ability:lectures", _("Lectures"), Cap.ABILITY_VIEW, key="lectures"),
        NavEntry("ability:mentoring", _("青蓝 mentoring"), Cap.ABILITY_VIEW, key="mentoring"),
        NavEntry("ability:rotation", _("Forum rotation"), Cap.ABILITY_VIEW, key="rotation"),
        NavEntry("ability:trainings", _("Training"), Cap.ABILITY_VIEW, key="trainings"),
        NavEntry("ability:competitions", _("Competitions"), Cap.ABILITY_VIEW,
                 key="competitions"),
        NavEntry("ability:topics", _("Research topics"), Cap.ABILITY_VIEW, key="topics"),
        NavEntry("ability:ledgers", _("Post ledgers"), Cap.ABILITY_VIEW, key="ledgers"),
        NavEntry("ability:ranking", _("Lecture ranking"), Cap.ABILITY_VIEW, key="ranking"),
    ),
    person_tab=PersonTab("ability", _("Ability"), "ability:person_tab", Cap.ABILITY_VIEW,
                         order=65),
    urls=(("ability/", "zugong.ability.urls"),),
    api="zugong.ability.api:router",
    metrics="zugong.ability.metrics.METRICS",
    demo="zugong.ability.demo:build",
    demo_order=70,
    # On the 3rd of each month: pairs that let the past month go by without meeting.
    jobs=(Job("ability_checkins", "zugong.ability.tasks.remind_checkins",
              {"day": "3", "hour": "8", "minute": "40"}),
          # On the 5th: holders of post ledgers not confirmed for 90 days.
          Job("ability_ledgers", "zugong.ability.tasks.remind_stale_ledgers",
              {"day": "5", "hour": "8", "minute": "50"})),
    audit_entities={"ability.lecture": _("lecture"), "ability.pair": _("mentoring pair"),
                    "ability.checkin": _("check-in"),
                    "ability.evaluation": _("mentoring evaluation"),
                    "ability.training": _("training"), "ability.trainee": _("trainee"),
                    "ability.competition": _("competition"),
                    "ability.competitiontask": _("competition task"),
                    "ability.score": _("score"), "ability.entrant": _("entrant"),
                    "ability.researchtopic": _("research topic"),
                    "ability.milestone": _("milestone"),
                    "ability.postledger": _("post ledger"),
                    "ability.scoringscheme": _("scoring scheme"),
                    "ability.leadercomment": _("leader's comment"),
                    "ability.rotationswap": _("rotation swap")},
    audit_actions={
        "ability.checkin.missed": pgettext_lazy("audit", "mentoring check-in missed"),
        "ability.trainee.summary": _("training summary submitted"),
                   "ability.entrant.award": _("competition award given"),
                   "ability.researchtopic.report": _("research report handed in"),
                   "ability.researchtopic.adopt": _("research report adopted"),
                   "ability.milestone.done": _("milestone done"),
                   "ability.postledger.save": _("post ledger saved"),
                   "ability.postledger.handover": _("post ledger handed over"),
                   "ability.postledger.stale": _("post ledger to confirm"),
                   "ability.scoringscheme.save": _("lecture scoring weights set"),
                   "ability.lecture.scoring_open": _("lecture scoring opened"),
                   "ability.lecture.scoring_close": _("lecture scoring closed"),
                   "ability.lecture.codes": _("audience codes issued"),
                   "ability.lecture.ballot": _("anonymous lecture ballot cast"),
                   "ability.lecture.ballot_void": _("anonymous lecture ballot taken back"),
                   "ability.lecture.award": _("lecture award given for the term"),
                   "ability.lecture.award_export": _("lecture awards exported"),
                   "ability.leadercomment.save": _("leader's comment on a lecture saved"),
                   "ability.rotationswap.record": _("forum rotation swap kept"),
                   "ability.rotationswap.cancel": _("forum rotation swap cancelled")},
    audit_fields={"ability.lecture.lecturers": _("lecturers"),
                  "ability.lecture.discussants": _("discussants"),
                  "ability.lecture.audience": _("audience"),
                  "ability.lecture.rows": _("rows exported"),
                  "ability.training.participants": _("participants"),
                  "ability.training.rows": _("rows exported"),
                  "ability.pair.rows": _("rows exported"),
                  "ability.competition.rows": _("rows exported"),
                  "ability.researchtopic.rows": _("rows exported"),
                  "ability.postledger.rows": _("rows exported"),
                  "ability.trainee.writing": _("learning writing"),
                  "ability.competition.entrants": _("entrants"),
                  "ability.researchtopic.members": _("team members"),
                  "ability.researchtopic.milestones": _("milestones"),
                  "ability.lecture.part": _("scoring part"),
                  "ability.lecture.count": _("codes issued"),
                  "ability.lecture.level": _("award level"),
                  "ability.lecture.term": _("term"),
                  "ability.postledger.merged": _("added to the successor's own ledger")},
    # The tasks app's handover passes the post ledger on with the job (M38).
    hooks={"ability.post_ledger": "zugong.ability.services:ledger_handover",
           # 六联六促 liaisons (service) point at a research topic (issue 20, point 4).
           "ability.research_topics": "zugong.ability.hooks:research_topics"},
)
