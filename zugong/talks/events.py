"""Audit action names and notice kinds of the talks app: "<app>.<entity>.<verb>"
(``zugong.core.audit.action_name_ok``), so the audit page filters by app or entity."""

TALK_RECORD = "talks.talk.record"
TALK_EXPORT = "talks.talk.export"
TALK_CONFIRM = "talks.talk.confirm"
TALK_DELETE = "talks.talk.delete"
SUMMARY_VIEW = "talks.summary.view"
FOLLOWUP_DONE = "talks.followup.done"
TRIGGER_RECORD = "talks.trigger.record"
UNIT_CHANGE_RECORD = "talks.unit_change.record"
RULE_ADD = "talks.rule.add"
RULE_RETIRE = "talks.rule.retire"
TERM_CREATE = "talks.term.create"
VISIT_FLAGS_SET = "talks.visit_flags.set"
VISIT_RECORD = "talks.visit.record"
VISIT_DELETE = "talks.visit.delete"
VISIT_EXPORT = "talks.visit.export"
PROBLEM_UPDATE = "talks.problem.update"

# Notice kinds
TALK_DUE = "talks.talk.due"

ACTIONS = (TALK_RECORD, TALK_EXPORT, TALK_CONFIRM, TALK_DELETE, SUMMARY_VIEW, FOLLOWUP_DONE,
           TRIGGER_RECORD, UNIT_CHANGE_RECORD, RULE_ADD, RULE_RETIRE, TERM_CREATE,
           VISIT_FLAGS_SET, VISIT_RECORD, VISIT_DELETE, VISIT_EXPORT, PROBLEM_UPDATE)
NOTICE_KINDS = (TALK_DUE,)
