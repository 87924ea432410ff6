"""The learning app's part of the whole (see zugong/core/registry.py)."""

from django.utils.translation import gettext_lazy as _

from zugong.core.registry import Job, NavEntry, PersonTab, Plugin, grants
from zugong.people.access import BUSINESS_ROLES, LEADER_ROLES

from . import audit_names
from .access import Cap

PLUGIN = Plugin(
    capabilities={
        Cap.LEARNING_VIEW: "read learning records and compliance in scope",
        Cap.LEARNING_REVIEW: "confirm or return learning records; record collective study",
        Cap.REGIME_MANAGE: "set the department's learning regime",
    },
    grants=grants(
        (BUSINESS_ROLES, {Cap.LEARNING_VIEW}), (LEADER_ROLES, {Cap.LEARNING_REVIEW}),
        (("head",), {Cap.REGIME_MANAGE}),
    ),
    nav=(NavEntry("learning:home", _("Learning"), Cap.LEARNING_VIEW, order=30),),
    subnav=(
        NavEntry("learning:home", _("My progress"), key="home"),
        NavEntry("learning:records", _("Records"), key="records"),
        NavEntry("learning:compliance", _("Compliance"), key="compliance"),
        NavEntry("learning:regime", _("Regime"), key="regime"),
        NavEntry("learning:first_topics", _("First topic"), key="first_topics"),
        NavEntry("learning:reading", _("Reading list"), key="reading"),
        NavEntry("learning:materials", _("Materials"), key="materials"),
        NavEntry("learning:copies", _("Copy checks"), Cap.LEARNING_REVIEW, key="copies"),
    ),
    person_tab=PersonTab("learning", _("Learning"), "learning:person_tab", Cap.LEARNING_VIEW,
                         order=10),
    urls=(("learning/", "zugong.learning.urls"),),
    api="zugong.learning.api:router",
    metrics="zugong.learning.metrics.METRICS",
    demo="zugong.learning.demo:build",
    demo_order=10,
    jobs=(Job("learning_reminders", "zugong.learning.tasks.send_learning_reminders",
              {"hour": "8", "minute": "30"}),),
    workbench="zugong.learning.workbench:items",
    audit_entities=audit_names.ENTITIES,
    audit_actions=audit_names.ACTIONS,
    # Party life records a meeting's 第一议题 through learning.first_topic_record, and
    # ability a training summary through learning.writing, so each is entered once.
    hooks={"learning.first_topic_record": "zugong.learning.services:first_topic_record",
           "learning.writing": "zugong.learning.services:writing_from_app",
           "learning.shortfall": "zugong.learning.hooks:shortfall",
           "learning.archive_entries": "zugong.learning.hooks:archive_entries",
           "learning.writings": "zugong.learning.hooks:writings",
           "calendar.overrides": "zugong.learning.workdays:calendar_overrides",
           "recycle.learning.studysession": "zugong.learning.services:session_restore_check",
           # Records back from the recycle bin count again in the monthly summaries.
           **{f"recycled.learning.{model}": "zugong.learning.summaries:restored"
              for model in ("studysession", "studynote", "bookread", "writing")}},
)
