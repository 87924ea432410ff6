"""Who may do what with innovation projects. Projects are the department's, not a person's:
everyone in the department reads its projects and may declare one for their unit; the
head and deputies classify them, assign the guiding section, grant funding and record
results and awards; the guiding section's cadres (and those leaders) record follow-ups.
The three administrators hold none of these capabilities.
"""

from __future__ import annotations

from zugong.people.access import Cap as PeopleCap
from zugong.people.access import (
    department_get_for_user,
    department_of,
    departments_for,
    has_cap,
    in_scope,
    require_cap,
)

__all__ = ["Cap", "department_get_for_user", "department_of", "departments_for", "has_cap",
           "in_scope", "may_adopt", "may_classify", "may_follow_up", "may_review_idea",
           "require_cap"]


class Cap(PeopleCap):
    PROJECTS_VIEW = "projects.view"
    PROJECTS_CLASSIFY = "projects.classify"
    PROJECTS_RULES = "projects.rules"


def may_classify(user, project) -> bool:
    """The head and deputies of the project's department: classification is the
    department's decision, so a deputy's charge of some sections does not narrow it."""
    if not has_cap(user, Cap.PROJECTS_CLASSIFY):
        return False
    return project.department_id in {d.pk for d in departments_for(user,
                                                                   Cap.PROJECTS_CLASSIFY)}


def may_follow_up(user, project) -> bool:
    """A cadre of the guiding section, or a leader who classifies the department's
    projects."""
    person = getattr(user, "person", None)
    if project.guiding_section_id is None:
        return False
    if person is not None and person.unit_id == project.guiding_section_id and \
            has_cap(user, Cap.PROJECTS_VIEW):
        return True
    return may_classify(user, project)


def may_review_idea(user, idea) -> bool:
    """The department's leaders who classify projects also score and adopt ideas; nobody
    scores their own."""
    return idea.person_id != getattr(user, "person_id", None) and may_classify(user, idea)


def may_adopt(user, department) -> bool:
    """The department's leaders who review ideas also record the adoption of its cadres'
    information items by outlets."""
    return has_cap(user, Cap.PROJECTS_CLASSIFY) and department.pk in {
        d.pk for d in departments_for(user, Cap.PROJECTS_CLASSIFY)}
