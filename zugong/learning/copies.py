"""Copy detection of notes and writings: which texts to compare, the flags it raises, and
their review. The text comparison itself is ``textsim`` (pure, no database)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction

from zugong.core.audit import audit_record
from zugong.people.access import subtree_q

from . import events, textsim
from .access import may_review
from .models import RECORD_MODELS, CopyFlag, StudyNote, Writing
from .selectors import regime_for

CHECKED_KINDS = ("note", "writing")


def check_after_commit(record) -> None:
    """Schedule the copy check of a saved note or writing once its transaction commits."""
    if record.record_kind in CHECKED_KINDS and (record.text or "").strip():
        from .tasks import copy_check_later

        kind, pk = record.record_kind, record.pk
        transaction.on_commit(lambda: copy_check_later(kind, pk))


def record_for_check(kind: str, pk: int):
    """The record a scheduled check is about (None when it was removed meanwhile)."""
    return RECORD_MODELS[kind].objects.filter(pk=pk).select_related("person__unit").first()


def _texts_near(record) -> list[tuple[tuple[str, int, int], str]]:
    """Texts to compare with: the department's notes and writings, and the writer's own."""
    dept = record.person.unit.department or record.person.unit
    in_dept = subtree_q("person__unit_path", dept.path)
    out = []
    for kind, model in (("note", StudyNote), ("writing", Writing)):
        qs = model.objects.filter(in_dept).exclude(text="").values_list("pk", "person_id",
                                                                         "text")
        if kind == record.record_kind:
            qs = qs.exclude(pk=record.pk)
        out.extend(((kind, pk, person_id), text) for pk, person_id, text in qs)
    return out


def copy_check(record) -> list[CopyFlag]:
    """Flag a note or writing whose text largely repeats another text of the department.

    A department holds a few thousand texts, which character 5-gram containment compares
    in well under a second (see textsim); the pages still run it after the commit, in the
    worker (``tasks.copy_check_later``).
    """
    if not (record.text or "").strip():
        return []
    regime = regime_for(record.person)
    threshold = float(regime.copy_threshold) if regime else textsim.DEFAULT_THRESHOLD
    kind = record.record_kind
    CopyFlag.objects.filter(source_kind=kind, source_id=record.pk,
                            state=CopyFlag.State.OPEN).delete()
    flags = []
    for (other_kind, other_id, other_person), match in textsim.find_copies(
            record.text, _texts_near(record), threshold=threshold):
        flag, _created = CopyFlag.objects.update_or_create(
            source_kind=kind, source_id=record.pk, other_kind=other_kind, other_id=other_id,
            defaults={"person": record.person, "other_person_id": other_person,
                      "score": Decimal(str(round(match.score, 3))),
                      "passages": [list(p) for p in match.passages]})
        flags.append(flag)
    return flags


def copy_flag_review(*, by, flag: CopyFlag, copied: bool) -> CopyFlag:
    """A reviewer's decision on a flag: copied, or a false alarm."""
    if not may_review(by, flag.person):
        raise PermissionDenied
    before = {"state": flag.state}
    flag.state = CopyFlag.State.CONFIRMED if copied else CopyFlag.State.DISMISSED
    flag.reviewed_by = by
    with transaction.atomic():
        flag.save(update_fields=["state", "reviewed_by"])
        audit_record(actor=by, action=events.COPY_FLAG_REVIEW, obj=flag, before=before,
                     after={"state": flag.state})
    return flag
