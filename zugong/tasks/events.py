"""Names of what the task ledger records: audit actions and notice kinds, each
``tasks.<entity>.<verb>`` (see ``zugong.core.audit.action_name_ok``)."""

# Audit actions
TARGET_ADD = "tasks.target.add"
TASK_ADD = "tasks.task.add"
TASK_DISPATCH = "tasks.task.dispatch"
TASK_CANCEL = "tasks.task.cancel"
TASK_DELETE = "tasks.task.delete"
TASK_EXPORT = "tasks.task.export"
ENTRY_ADD = "tasks.entry.add"
MONTHLY_ADD = "tasks.monthly.add"
MONTHLY_DELETE = "tasks.monthly.delete"
MONTHLY_SIGNOFF = "tasks.monthly.signoff"
MONTHLY_APPROVE = "tasks.monthly.approve"
MONTHLY_ROLL = "tasks.monthly.roll"
STOCKTAKE_FREEZE = "tasks.stocktake.freeze"
STOCKTAKE_EXPORT = "tasks.stocktake.export"
STOCKTAKE_EDIT = "tasks.stocktake.edit"
# A completion dated before the day it was recorded (awaiting approval), and the
# deputy's decision on it.
COMPLETION_BACKDATE = "tasks.completion.backdate"
COMPLETION_APPROVE = "tasks.completion.approve"
COMPLETION_REFUSE = "tasks.completion.refuse"
CARRY_REQUEST = "tasks.carry.request"
CARRY_APPROVE = "tasks.carry.approve"
YEAR_CLEAR = "tasks.year.clear"
INQUIRY_ADD = "tasks.inquiry.add"
INQUIRY_CLOSE = "tasks.inquiry.close"
INQUIRY_CODE = "tasks.inquiry.code"
INQUIRY_PUBLIC_RATE = "tasks.inquiry.public_rate"
HANDOVER_ADD = "tasks.handover.add"

# Notice kinds
NOTICE_DISPATCH = "tasks.task.dispatch"
NOTICE_REMIND = "tasks.task.remind"
NOTICE_OVERDUE = "tasks.task.overdue"
NOTICE_ESCALATE = "tasks.task.escalate"
NOTICE_WEEKLY = "tasks.task.update_due"
NOTICE_SIGNOFF = "tasks.monthly.signoff"
NOTICE_INQUIRY = "tasks.inquiry.assign"
NOTICE_INQUIRY_OVERDUE = "tasks.inquiry.overdue"
NOTICE_HANDOVER = "tasks.handover.add"
NOTICE_BACKDATE = "tasks.completion.backdate"

AUDIT_ACTIONS = (
    TARGET_ADD, TASK_ADD, TASK_DISPATCH, TASK_CANCEL, TASK_EXPORT, ENTRY_ADD, MONTHLY_ADD,
    MONTHLY_SIGNOFF, MONTHLY_APPROVE, MONTHLY_ROLL, STOCKTAKE_FREEZE, STOCKTAKE_EXPORT,
    CARRY_REQUEST, CARRY_APPROVE, YEAR_CLEAR, INQUIRY_ADD, INQUIRY_CLOSE, HANDOVER_ADD,
    INQUIRY_CODE, INQUIRY_PUBLIC_RATE,
    STOCKTAKE_EDIT, COMPLETION_BACKDATE, COMPLETION_APPROVE, COMPLETION_REFUSE,
)
NOTICE_KINDS = (
    NOTICE_DISPATCH, NOTICE_REMIND, NOTICE_OVERDUE, NOTICE_ESCALATE, NOTICE_WEEKLY,
    NOTICE_SIGNOFF, NOTICE_INQUIRY, NOTICE_INQUIRY_OVERDUE, NOTICE_HANDOVER, NOTICE_BACKDATE,
)
