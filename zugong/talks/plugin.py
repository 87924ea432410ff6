"""The talks app's part of the whole (see zugong/core/registry.py)."""

from django.utils.translation import gettext_lazy as _

from zugong.core.registry import Job, NavEntry, PersonTab, Plugin, grants
from zugong.people.access import BUSINESS_ROLES, LEADER_ROLES

from .access import Cap

PLUGIN = Plugin(
    capabilities={
        Cap.TALKS_VIEW: "read talks and coverage in scope",
        Cap.TALKS_SENSITIVE: "read other people's talk summaries (audited)",
        Cap.TALKS_MANAGE: "record occasions, section changes, visits and flags",
        Cap.TALKS_RULES: "set the department's coverage rules and terms",
    },
    grants=grants(
        (BUSINESS_ROLES, {Cap.TALKS_VIEW}),
        (LEADER_ROLES, {Cap.TALKS_SENSITIVE, Cap.TALKS_MANAGE}),
        (("head",), {Cap.TALKS_RULES}), (("supervision",), {Cap.TALKS_SENSITIVE}),
    ),
    nav=(NavEntry("talks:home", _("Talks"), Cap.TALKS_VIEW, order=40),),
    subnav=(
        NavEntry("talks:home", _("My talks"), key="home"),
        NavEntry("talks:list", _("All talks"), key="list"),
        NavEntry("talks:coverage", _("Coverage"), key="coverage"),
        NavEntry("talks:events", _("Occasions and moves"), key="events"),
        NavEntry("talks:visits", _("Six visits"), key="visits"),
        NavEntry("talks:rules", _("Rules"), key="rules"),
    ),
    person_tab=PersonTab("talks", _("Talks"), "talks:person_tab", Cap.TALKS_VIEW, order=40),
    urls=(("talks/", "zugong.talks.urls"),),
    api="zugong.talks.api:router",
    metrics="zugong.talks.metrics.METRICS",
    demo="zugong.talks.demo:build",
    demo_order=20,
    workbench="zugong.talks.workbench:items",
    jobs=(Job("talks_reminders", "zugong.talks.tasks.send_talk_reminders",
              {"hour": "8", "minute": "40"}),),
    # Party life links the talks held before an organization-life meeting, and care a
    # cadre's home visits, through these; the recycle bin asks before restoring a visit.
    hooks={"talks.talks_among": "zugong.talks.selectors:talks_among",
           "talks.archive_entries": "zugong.talks.hooks:archive_entries",
           "talks.home_visits": "zugong.talks.selectors:home_visits",
           "recycle.talks.visit": "zugong.talks.services:visit_restore_check",
           # A restored talk counts again: the workbench's kept coverage is judged afresh.
           "recycled.talks.talk": "zugong.talks.services:talk_restored"},
    # The audit log's Chinese names (core.audit_labels); the other entities are models.
    audit_entities={
        "talks.summary": _("talk summary"),
        "talks.followup": _("follow-up item"),
        "talks.unit_change": _("change of section"),
        "talks.term": _("term"),
        "talks.visit": _("visits"),
        "talks.visit_flags": _("Visit flags"),
        "talks.problem": _("problem raised in a visit"),
        "talks.rule": _("coverage rule"),
        "talks.coverage_rule": _("coverage rule"),
        "talks.trigger": _("must-talk occasion"),
        "talks.trigger_event": _("must-talk occasion"),
    },
    audit_verbs={"due": _("remind about due")},
    audit_fields={
        "talks.talk.with": _("talked with"),
        "talks.talk.summary_chars": _("length of the summary"),
        "talks.talk.follow_ups": _("follow-up items"),
        "talks.talk.confirmed_by": _("confirmed by"),
        "talks.talk.confirmed_on": _("confirmed on"),
        "talks.talk.talks": _("talks read"),
        "talks.visit.problems": _("problems raised"),
        "talks.unitchange.from": _("from section"),
        "talks.unitchange.to": _("to section"),
    },
)
