"""The Chinese names of this app's audit actions and entities (core.audit_labels).

Entities label the middle part of "<app>.<entity>.<verb>" (and the entries' object
types); actions label a whole action whose composed label would read badly, and the
notice kinds, which share the naming. The "audit" context keeps these words apart
from the same English words elsewhere in the catalogues."""

from django.utils.translation import pgettext_lazy

ENTITIES = {
    "tasks.target": pgettext_lazy("audit", "yearly target"),
    "tasks.task": pgettext_lazy("audit", "task"),
    "tasks.entry": pgettext_lazy("audit", "progress entry"),
    "tasks.monthly": pgettext_lazy("audit", "monthly item"),
    "tasks.monthly_item": pgettext_lazy("audit", "monthly item"),
    "tasks.stocktake": pgettext_lazy("audit", "stock-take"),
    "tasks.stock_take": pgettext_lazy("audit", "stock-take"),
    "tasks.completion": pgettext_lazy("audit", "completion"),
    "tasks.carry": pgettext_lazy("audit", "carry-over"),
    "tasks.year": pgettext_lazy("audit", "year-end clearance"),
    "tasks.year_clearance": pgettext_lazy("audit", "year-end clearance"),
    "tasks.inquiry": pgettext_lazy("audit", "first inquiry"),
    "tasks.handover": pgettext_lazy("audit", "handover"),
}

ACTIONS = {
    "tasks.task.overdue": pgettext_lazy("audit", "task overdue"),
    "tasks.task.escalate": pgettext_lazy("audit", "overdue task escalated"),
    "tasks.task.update_due": pgettext_lazy("audit", "weekly progress update due"),
    "tasks.task.remind": pgettext_lazy("audit", "task reminder"),
    "tasks.monthly.signoff": pgettext_lazy("audit", "sign off the monthly items"),
    "tasks.monthly.roll": pgettext_lazy("audit", "roll the monthly items over"),
    "tasks.completion.backdate": pgettext_lazy("audit", "backdated completion"),
    "tasks.completion.approve": pgettext_lazy("audit", "approve a backdated completion"),
    "tasks.completion.refuse": pgettext_lazy("audit", "refuse a backdated completion"),
    "tasks.carry.request": pgettext_lazy("audit", "request a carry-over"),
    "tasks.carry.approve": pgettext_lazy("audit", "approve a carry-over"),
    "tasks.year.clear": pgettext_lazy("audit", "clear the year"),
    "tasks.inquiry.overdue": pgettext_lazy("audit", "first inquiry overdue"),
    "tasks.inquiry.code": pgettext_lazy("audit", "first inquiry rating code issued"),
    "tasks.inquiry.public_rate": pgettext_lazy("audit", "first inquiry rated by the public"),
}

FIELDS = {
    "tasks.stocktake.total": pgettext_lazy("audit", "total"),
    "tasks.inquiry.public_rating": pgettext_lazy("audit", "the public's rating"),
}
