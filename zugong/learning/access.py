"""Who may do what in the learning area: the app's capabilities, on top of the people app's,
and the predicates the pages, selectors and services share.

The role grants are declared in ``plugin.py``; scope comes from ``zugong.people.access``.
"""

from zugong.people.access import Cap as PeopleCap
from zugong.people.access import has_cap, in_scope, scope_q
from zugong.people.models import OrgUnit, Person


class Cap(PeopleCap):
    # Learning: see records and compliance in scope; confirm or return them (and record
    # collective study for others); set the department's regime.
    LEARNING_VIEW = "learning.view"
    LEARNING_REVIEW = "learning.review"
    REGIME_MANAGE = "learning.regime"


def may_review(user, person: Person) -> bool:
    """Section chiefs and leaders confirm the records of people in their scope, not their own."""
    if getattr(user, "person_id", None) == person.pk:
        return False
    q = scope_q(user, Cap.LEARNING_REVIEW, kind="person")
    return q is not None and Person.objects.filter(q, pk=person.pk).exists()


def reviewable_ids(user, person_ids) -> set[int]:
    """Of these people's ids, those :func:`may_review` allows: one query for a whole page
    of records rather than one per row."""
    q = scope_q(user, Cap.LEARNING_REVIEW, kind="person")
    ids = set(person_ids) - {getattr(user, "person_id", None)}
    if q is None or not ids:
        return set()
    return set(Person.objects.filter(q, pk__in=ids).values_list("pk", flat=True))


def may_confirm(user, record) -> bool:
    """A reviewer confirms a record unless they made its last edit (nobody confirms their
    own edit: a reviewer's change goes to another reviewer)."""
    return record.edited_by_id is None or record.edited_by_id != getattr(user, "pk", None)


def may_record_for(user, person: Person) -> bool:
    """A person records their own learning; a reviewer also records for people in scope."""
    return getattr(user, "person_id", None) == person.pk or may_review(user, person)


def can_review(user) -> bool:
    return has_cap(user, Cap.LEARNING_REVIEW)


def can_manage_regime(user, department: OrgUnit) -> bool:
    return in_scope(user, Cap.REGIME_MANAGE, department)
