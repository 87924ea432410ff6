"""The task ledger's part of the whole (see zugong/core/registry.py)."""

from django.utils.translation import gettext_lazy as _

from zugong.core.registry import Job, NavEntry, PersonTab, Plugin, grants
from zugong.people.access import BUSINESS_ROLES, LEADER_ROLES

from . import audit_names
from .access import Cap

PLUGIN = Plugin(
    capabilities={
        Cap.TASKS_VIEW: "read and update the tasks in scope",
        Cap.TASKS_LEAD: "assign, dispatch and approve sign-offs",
        Cap.TASKS_HEAD: "approve carry-overs and clear the year",
    },
    grants=grants(
        (BUSINESS_ROLES, {Cap.TASKS_VIEW}), (LEADER_ROLES, {Cap.TASKS_LEAD}),
        (("head",), {Cap.TASKS_HEAD}),
    ),
    nav=(NavEntry("tasks:mine", _("Tasks"), Cap.TASKS_VIEW, order=60),),
    subnav=(
        NavEntry("tasks:mine", _("My tasks"), key="mine"),
        NavEntry("tasks:targets", _("Annual targets"), key="targets"),
        NavEntry("tasks:board", _("Section board"), key="board"),
        NavEntry("tasks:calendar", _("Deadlines"), key="calendar"),
        NavEntry("tasks:monthly", _("Monthly plan"), key="monthly"),
        NavEntry("tasks:overview", _("Overview"), key="overview"),
        NavEntry("tasks:inquiries", _("First inquiries"), key="inquiries"),
        NavEntry("tasks:dispatch", _("Weekly dispatch"), Cap.TASKS_LEAD, key="dispatch"),
        NavEntry("tasks:stocktakes", _("Stock-takes"), Cap.TASKS_LEAD, key="stocktakes"),
        NavEntry("tasks:clearance", _("Year-end clearance"), Cap.TASKS_LEAD, key="clearance"),
        NavEntry("tasks:handover", _("Handover"), Cap.TASKS_LEAD, key="handover"),
    ),
    person_tab=PersonTab("tasks", _("Tasks"), "tasks:person_tab", Cap.TASKS_VIEW, order=30),
    urls=(("tasks/", "zugong.tasks.urls"),),
    api="zugong.tasks.api:router",
    metrics="zugong.tasks.metrics.METRICS",
    demo="zugong.tasks.demo:build",
    demo_order=40,
    jobs=(
        Job("tasks_deadlines", "zugong.tasks.tasks.check_deadlines",
            {"hour": "7", "minute": "30"}),
        Job("tasks_weekly_prompt", "zugong.tasks.tasks.prompt_weekly_updates",
            {"day_of_week": "1", "hour": "8", "minute": "0"}),
        Job("tasks_stocktake", "zugong.tasks.tasks.freeze_stocktakes",
            {"day": "1", "hour": "6", "minute": "0"}),
    ),
    workbench="zugong.tasks.workbench:items",
    audit_entities=audit_names.ENTITIES,
    audit_fields=audit_names.FIELDS,
    audit_actions=audit_names.ACTIONS,
    hooks={"tasks.overdue": "zugong.tasks.hooks:overdue",
           "tasks.archive_entries": "zugong.tasks.hooks:archive_entries",
           "recycle.tasks.task": "zugong.tasks.services:task_restore_check",
           "recycled.tasks.task": "zugong.tasks.services:task_restored",
           "recycle.tasks.monthlyitem": "zugong.tasks.services:monthly_item_restore_check"},
)
