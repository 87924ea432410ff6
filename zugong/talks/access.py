"""Who may do what with talks and visits: the app's capabilities, on top of the people app's,
and the predicates the views, selectors and services share.

The role grants are declared in ``plugin.py``; scope comes from ``zugong.people.access``
(one set of department helpers: ``department_of``, ``departments_for``, ``in_scope``).
"""

from __future__ import annotations

from zugong.people.access import Cap as PeopleCap
from zugong.people.access import (
    department_get_for_user,
    department_of,
    departments_for,
    has_cap,
    in_scope,
)
from zugong.people.models import OrgUnit

__all__ = ["Cap", "department_of", "departments_for", "department_get_for_user", "in_scope",
           "may_set_rules", "may_manage", "may_manage_person", "may_mark_done",
           "may_delete_talk"]


class Cap(PeopleCap):
    # Talks and visits: see talks and coverage in scope; read talk summaries of others
    # (sensitive, audited); record trigger events, section changes, visits and flags;
    # set the department's coverage rules and terms.
    TALKS_VIEW = "talks.view"
    TALKS_SENSITIVE = "talks.view_sensitive"
    TALKS_MANAGE = "talks.manage"
    TALKS_RULES = "talks.rules"


def may_set_rules(user, department: OrgUnit) -> bool:
    """Whether the user sets this department's coverage rules and terms."""
    return in_scope(user, Cap.TALKS_RULES, department)


def may_manage(user) -> bool:
    """Whether the user records occasions, moves, visits and flags at all."""
    return has_cap(user, Cap.TALKS_MANAGE)


def may_manage_person(user, person) -> bool:
    """Whether the user records occasions, moves, visits and flags for this person."""
    return in_scope(user, Cap.TALKS_MANAGE, person)


def may_delete_talk(user, talk) -> bool:
    """A talk is deleted by whoever held it, or by a leader who manages talks with that
    person in scope (as for the records a leader keeps of the section)."""
    return (getattr(user, "person_id", None) == talk.by_id
            or in_scope(user, Cap.TALKS_MANAGE, talk.by))


def may_mark_done(user, item) -> bool:
    """A follow-up item is marked done by its owner or by whoever held the talk."""
    me = getattr(user, "person_id", None)
    return me is not None and me in (item.owner_id, item.talk.by_id)
