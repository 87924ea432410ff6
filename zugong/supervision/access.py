"""Who may see and do what in supervision. Everything here is sensitive: the content is read
only with ``supervision.view`` over the person (supervision officers and the head, in
their scope), and the three administrators hold none of these capabilities.

A cadre files and reads their own personal-matter reports (``supervision.report``), never
anyone else's, and never the measures.
"""

from __future__ import annotations

from django.conf import settings

from zugong.people.access import Cap as PeopleCap
from zugong.people.access import (
    department_get_for_user,
    department_of,
    departments_for,
    has_cap,
    in_scope,
    people_in_scope,
    person_for_filter,
    require_cap,
)

__all__ = ["Cap", "department_get_for_user", "department_of", "departments_for", "has_cap",
           "in_scope", "may_manage", "may_manage_person", "may_manage_unit", "may_view",
           "may_decide_archive",
           "people_in_scope", "person_for_filter", "require_cap"]


class Cap(PeopleCap):
    SUPERVISION_VIEW = "supervision.view"
    SUPERVISION_MANAGE = "supervision.manage"
    SUPERVISION_REPORT = "supervision.report"
    ARCHIVE_REQUEST = "supervision.archive_request"
    ARCHIVE_APPROVE = "supervision.archive_approve"


def may_view(user) -> bool:
    return has_cap(user, Cap.SUPERVISION_VIEW)


def may_manage(user) -> bool:
    return has_cap(user, Cap.SUPERVISION_MANAGE)


def may_manage_person(user, person) -> bool:
    """Whether the user records measures and checks reports for this person."""
    return in_scope(user, Cap.SUPERVISION_MANAGE, person)


def may_manage_unit(user, unit) -> bool:
    """Whether the user rates this section and records its discipline study."""
    return in_scope(user, Cap.SUPERVISION_MANAGE, unit)


def configured_approvers() -> tuple[str, ...]:
    """Usernames the department named to approve archive viewing besides the head (the
    setting ZUGONG_ARCHIVE_APPROVERS); each approves within the people they may see."""
    return tuple(getattr(settings, "ZUGONG_ARCHIVE_APPROVERS", ()))


def may_decide_archive(user, request) -> bool:
    """The head over the cadre, or a configured approver who may see the cadre; never the
    requester."""
    if request.created_by_id == user.pk:
        return False
    if in_scope(user, Cap.ARCHIVE_APPROVE, request.person):
        return True
    return user.username in configured_approvers() and \
        in_scope(user, PeopleCap.PEOPLE_VIEW, request.person)
