"""Writes of the task ledger. Every write takes ``by`` (the acting user, or ``SYSTEM`` for
jobs and the demo; ``None`` is still accepted), checks permission and scope, validates
into one ValidationError and is audited. Edits of a task carry the version the editor saw
(see ``_common.edit_task``).

One module per part of the ledger; this package re-exports them, so callers keep writing
``services.entry_add`` and the like.
"""

from ..access import (
    department_of,
    in_scope,
    may_approve,
    may_approve_backdate,
    may_lead,
    may_update,
)
from ..selectors import clearance_pending
from ._common import (
    ESCALATE_DAYS,
    NOTE_SOURCE,
    REMIND_DAYS,
    UNVERSIONED,
    escalate_days,
    remind_days,
)
from .deadlines import _note_negative, deadlines_check, weekly_prompt
from .inquiries import (
    inquiry_add,
    inquiry_close,
    inquiry_code_issue,
    inquiry_invalid_code,
    inquiry_public_rate,
)
from .ledger import (
    TASK_FIELDS,
    completion_backdate_decide,
    dispatch_decide,
    entry_add,
    target_add,
    task_cancel,
    task_create,
)
from .monthly import (
    month_roll_over,
    monthly_approve,
    monthly_item_add,
    monthly_signoff,
    stocktake_edit,
    stocktake_figures,
    stocktake_freeze,
)
from .recycling import (
    monthly_item_delete,
    monthly_item_restore_check,
    task_delete,
    task_restore_check,
    task_restored,
)
from .year import carry_over_approve, carry_over_request, handover, year_clear

__all__ = [
    "ESCALATE_DAYS", "NOTE_SOURCE", "REMIND_DAYS", "TASK_FIELDS",
    "UNVERSIONED", "_note_negative", "carry_over_approve", "carry_over_request",
    "clearance_pending", "completion_backdate_decide", "deadlines_check", "department_of",
    "dispatch_decide", "entry_add", "escalate_days", "handover", "in_scope", "inquiry_add",
    "inquiry_close", "inquiry_code_issue", "inquiry_invalid_code", "inquiry_public_rate",
    "may_approve", "may_approve_backdate", "may_lead", "may_update",
    "month_roll_over", "monthly_approve", "monthly_item_add", "monthly_item_delete",
    "monthly_item_restore_check", "monthly_signoff", "remind_days",
    "stocktake_edit", "stocktake_figures", "stocktake_freeze", "target_add", "task_cancel",
    "task_create", "task_delete", "task_restore_check",
    "task_restored", "weekly_prompt", "year_clear",
]
