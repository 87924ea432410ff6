"""Writes of the assessment area: plans and their indicators and raters, scores and
anonymous ballots, closing a plan (scores, ranks, grades, quota, veto), adjustments,
feedback, acknowledgement and appeals, the everyday record, consequence rules.

One module per part (plans, sheets, results, records); the names are re-exported here,
so ``from zugong.assessment import services`` and the hook path
``zugong.assessment.services:everyday_note_add`` keep working. The arithmetic lives in
``scoring`` and the rules of who may do what in ``access``; both are re-exported for
older callers.
"""

from ..access import LEADER_GROUPS, may_manage, may_note, rater_groups_of, sheet_people
from ..scoring import (
    CENT,
    HUNDRED,
    MIN_BALLOTS_SHOWN,
    RESULT_FIELDS,
    appeal_deadline,
    automatic_values,
    compute,
    gaps_of,
    num,
    quota_of,
    quota_status,
    regular_summary,
    weight_problems,
)
from ._common import DEFAULT_GROUPS, DEFAULT_QUOTA, PLAN_FIELDS, RAISED_QUOTA
from .plans import (
    SETTINGS_FIELDS,
    group_weights_set,
    indicator_add,
    indicator_delete,
    people_of,
    plan_create,
    plan_delete,
    plan_open,
    plan_settings,
    template_from_plan,
)
from .records import (
    consequence_rule_set,
    consequence_rules_seed,
    everyday_note_add,
    everyday_note_delete,
    reward_record,
    score_reminders_send,
)
from .results import (
    appeal_answer,
    appeal_file,
    feedback_give,
    gap_decide,
    gap_key,
    grade_adjust,
    plan_close,
    result_acknowledge,
    veto_set,
    vetoes_set,
)
from .sheets import (
    ballots_submit,
    outsider_codes_issue,
    outsider_vote,
    scores_submit,
    tallies_create,
)

__all__ = [
    "CENT", "DEFAULT_GROUPS", "DEFAULT_QUOTA", "HUNDRED", "LEADER_GROUPS", "MIN_BALLOTS_SHOWN",
    "PLAN_FIELDS", "RAISED_QUOTA", "RESULT_FIELDS", "SETTINGS_FIELDS", "appeal_answer",
    "appeal_deadline", "appeal_file", "automatic_values", "ballots_submit", "compute",
    "consequence_rule_set", "consequence_rules_seed", "everyday_note_add",
    "everyday_note_delete", "feedback_give",
    "gap_decide", "gap_key", "gaps_of", "quota_status",
    "grade_adjust", "group_weights_set", "indicator_add", "indicator_delete", "may_manage",
    "may_note", "num", "outsider_codes_issue", "outsider_vote", "people_of", "plan_close",
    "plan_create", "plan_delete", "plan_open", "plan_settings", "quota_of", "rater_groups_of",
    "regular_summary", "result_acknowledge", "reward_record", "score_reminders_send",
    "scores_submit", "sheet_people", "tallies_create", "template_from_plan", "veto_set",
    "vetoes_set",
    "weight_problems",
]
