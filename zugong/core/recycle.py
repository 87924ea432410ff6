"""The recycle bin (回收站): a delete that can be undone until the retention period ends.

A delete service calls :func:`recycle` instead of ``obj.delete()``. The record and every
row its deletion would cascade to are serialized (Django's JSON serializer), encrypted as
one payload (SM4, like other sensitive text) and stored as a :class:`RecycledRecord`; the
originals are then deleted in the same transaction. Lists, figures and metrics therefore
need no "deleted" filter: the rows are really gone. The audit entries about the record
stay, and :func:`restore` puts the rows back with their old primary keys, so that history
and links point at them again.

What the kit does not know — who may see or restore an entry — is the caller's: each entry
names the capability that deletes it and the person or department it belongs to, and the
console's 回收站 page filters by them. A model may refuse a restore for its own reasons
(an assessment plan that is no longer a draft) through the registry hook
``recycle.<app_label>.<model>``, which gets the rows about to be restored and raises
``ValidationError``. What must follow a restore inside the same transaction (a parent
task's progress recomputed with its sub-task back) is the hook
``recycled.<app_label>.<model>``, called with the restored rows.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict

from django.conf import settings
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, router, transaction
from django.db.models import Q, TextField
from django.db.models.deletion import Collector
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from . import registry
from .audit import SYSTEM, audit_record, erase_values
from .models import AuditEntry, RecycledRecord

# Audit action names (<app>.<entity>.<verb>).
RESTORE = "core.recycled.restore"
ERASE = "core.recycled.erase"
PURGE = "core.recycled.purge"


class _CollectEverything(Collector):
    """The deletion's collector, made to load every cascaded row as an instance: a fast
    (queryset) delete would remove rows the payload never saw."""

    def can_fast_delete(self, objs, from_field=None):
        return False


def _pks(instances) -> list:
    if isinstance(instances, models.QuerySet):
        return list(instances.values_list("pk", flat=True))
    return [obj.pk for obj in instances]


def _collect(obj) -> tuple[list, list[dict]]:
    """Rows a delete of ``obj`` removes (parents before children) and the SET_NULL links
    it cuts, as ``{"model", "field", "links": [[pk, old value], ...]}``."""
    collector = _CollectEverything(using=router.db_for_write(type(obj)), origin=obj)
    collector.collect([obj])  # ProtectedError/RestrictedError: the delete is refused
    collector.sort()  # deletion order: children first
    rows = []
    for instances in reversed(list(collector.data.values())):
        rows.extend(sorted(instances, key=lambda o: o.pk))
    links = []
    for (field, value), lists in collector.field_updates.items():
        if value is not None:
            continue  # only SET_NULL is undone; SET_DEFAULT has no such relation here
        pks = [pk for instances in lists for pk in _pks(instances)]
        pairs = list(field.model._base_manager.filter(pk__in=pks)
                     .values_list("pk", field.attname))
        links.append({"model": field.model._meta.label_lower, "field": field.attname,
                      "links": [[pk, old] for pk, old in pairs if old is not None]})
    return rows, links


def recycle(obj, *, by, label: str, cap: str, person_id=None,
            department_id=None) -> RecycledRecord:
    """Delete ``obj`` (and what cascades from it) into the recycle bin; one transaction.

    ``cap`` is the capability that may delete it, ``person_id``/``department_id`` whose
    record it is: together they say who sees it in the bin. The caller audits its own
    delete action, as before.
    """
    with transaction.atomic():
        rows, links = _collect(obj)
        payload = {"rows": json.loads(serializers.serialize("json", rows)), "links": links}
        entry = RecycledRecord.objects.create(
            model=obj._meta.label_lower, object_pk=str(obj.pk), label=label[:200],
            payload=json.dumps(payload, ensure_ascii=False), rows=len(rows), cap=cap,
            person_id=person_id, department_id=department_id,
            deleted_by=by if getattr(by, "pk", None) else None,
        )
        obj.delete()
    return entry


def confirm_context(*, what: str, back: str) -> dict:
    """What the shared confirm page (``core/confirm_delete.html``) shows before a delete:
    the record, where "cancel" goes, and how long the bin keeps it."""
    return {"what": what, "back": back, "keep_days": settings.ZUGONG_RECYCLE_KEEP_DAYS}


def _locked(entry: RecycledRecord) -> RecycledRecord:
    """The entry, locked; a second click or another user may have restored or erased it
    since the page was shown."""
    try:
        return RecycledRecord.objects.select_for_update().get(pk=entry.pk)
    except RecycledRecord.DoesNotExist as exc:
        raise ValidationError(_("“%(label)s” is no longer in the recycle bin.")
                              % {"label": entry.label}) from exc


def _payload(entry: RecycledRecord) -> dict:
    return json.loads(entry.payload)


def _objects(payload: dict) -> list:
    return [d.object for d in serializers.deserialize(
        "json", json.dumps(payload["rows"]), ignorenonexistent=True)]


def _check_parents(entry: RecycledRecord, objs: list) -> None:
    """Every foreign key of a restored row must point at a row that exists or comes back
    with it; otherwise the restore is refused, naming what is missing."""
    coming = {(type(o)._meta.concrete_model, o.pk) for o in objs}
    for obj in objs:
        for field in obj._meta.concrete_fields:
            if not field.is_relation or not (field.many_to_one or field.one_to_one):
                continue
            value = getattr(obj, field.attname)
            if value is None:
                continue
            target = field.related_model._meta.concrete_model
            if (target, value) in coming:
                continue
            if not target._base_manager.filter(**{field.target_field.attname: value}).exists():
                raise ValidationError(
                    _("“%(label)s” cannot be restored: the %(what)s it belongs to no longer "
                      "exists.") % {"label": entry.label, "what": target._meta.verbose_name})


def _check_unique(entry: RecycledRecord, objs: list) -> None:
    """A row added since the delete may hold the same unique value (a second result for the
    same year, say); the restore is then refused rather than failing in the database."""
    for obj in objs:
        try:
            obj.validate_unique()
            obj.validate_constraints()
        except ValidationError as exc:
            raise ValidationError(
                _("“%(label)s” cannot be restored: a record with the same key has been "
                  "added since (%(detail)s).")
                % {"label": entry.label, "detail": "；".join(exc.messages)}) from exc


def restore(entry: RecycledRecord, *, by) -> list:
    """Put the rows back with their old primary keys and drop the bin entry; audited.

    Raises ``ValidationError`` (a Chinese message) when a parent is gone, a unique key
    clashes, or the record's app refuses.
    """
    with transaction.atomic():
        entry = _locked(entry)
        payload = _payload(entry)
        objs = _objects(payload)
        _check_parents(entry, objs)
        _check_unique(entry, objs)
        guard = registry.hook(f"recycle.{entry.model}")
        if guard is not None:
            guard(rows=objs)
        try:
            with transaction.atomic():
                for obj in objs:
                    # A raw save, as loaddata does: the stored values go back unchanged
                    # (no auto_now stamps, no model save() rules meant for new edits).
                    models.Model.save_base(obj, raw=True, force_insert=True)
                for link in payload["links"]:
                    model = _model(link["model"])
                    for pk, old in link["links"]:
                        model._base_manager.filter(pk=pk, **{link["field"]: None}).update(
                            **{link["field"]: old})
        except IntegrityError as exc:
            raise ValidationError(
                _("“%(label)s” cannot be restored: it clashes with the records as they are "
                  "now.") % {"label": entry.label}) from exc
        follow_up = registry.hook(f"recycled.{entry.model}")
        if follow_up is not None:
            follow_up(rows=objs)
        audit_record(actor=by, action=RESTORE, object_type=entry.model,
                     object_id=entry.object_pk, object_repr=_name(entry),
                     after={"rows": entry.rows, "deleted_at": entry.deleted_at.isoformat()})
        entry.delete()
    return objs


def _model(label: str):
    from django.apps import apps

    return apps.get_model(label)


def _delete_files(entry: RecycledRecord) -> None:
    """Remove the uploaded files the deleted rows referred to (evidence, scans): erasing a
    record must not leave its attachments behind."""
    for obj in _objects(_payload(entry)):
        for field in obj._meta.concrete_fields:
            if isinstance(field, models.FileField):
                name = getattr(obj, field.attname)
                name = getattr(name, "name", name)
                if name:
                    field.storage.delete(name)


def _name(entry: RecycledRecord) -> str:
    """How the append-only audit chain names a bin entry: its type and id, never its
    label (which quotes the record, and could then never be erased)."""
    try:
        kind = str(_model(entry.model)._meta.verbose_name)
    except LookupError:
        kind = entry.model
    return f"{kind} #{entry.object_pk}"[:200]


def _texts(objs: list) -> set[str]:
    """The free text the erased rows hold (names, titles, notes): what a copy of them in
    an audit entry's values would show. Codes and choices are left out; they are shared
    by every record of the kind."""
    texts = set()
    for obj in objs:
        for field in obj._meta.concrete_fields:
            if isinstance(field, (models.CharField, models.TextField)) and not field.choices:
                value = getattr(obj, field.attname)
                if isinstance(value, str) and len(value.strip()) >= 2:
                    texts.add(value.strip())
    return texts


def _audit_copies(entry: RecycledRecord, objs: list) -> list:
    """The audit entries whose values hold a copy of the erased record: those about one of
    its rows, the delete that put it in the bin (``{"recycled": id}``), and those about its
    person or written since the delete whose values quote its text."""
    about = Q(object_type=entry.model, object_id=entry.object_pk)
    for obj in objs:
        about |= Q(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    person = Q(pk__in=[])
    if entry.person_id is not None:
        person = Q(object_type=settings.ZUGONG_PERSON_MODEL.lower(),
                   object_id=str(entry.person_id))
    delete = Q(at__gte=entry.deleted_at) & Q(fields_text__contains='"recycled"')
    candidates = (AuditEntry.objects.annotate(fields_text=Cast("fields", TextField()))
                  .filter(about | person | delete).exclude(action__startswith="core.")
                  .select_related("payload").order_by("seq"))
    texts = _texts(objs)
    rows = {(o._meta.label_lower, str(o.pk)) for o in objs} | {(entry.model, entry.object_pk)}
    found = []
    for audit in candidates:
        before, after = audit.before, audit.after
        if before is None and after is None:
            continue
        quoted = json.dumps([before, after], ensure_ascii=False)
        if ((audit.object_type, audit.object_id) in rows
                or (isinstance(after, dict) and after.get("recycled") == entry.pk)
                or any(text in quoted for text in texts)):
            found.append(audit)
    return found


def erase(entry: RecycledRecord, *, by, reason: str) -> None:
    """Erase a deleted record for good (a personal-information deletion request under
    PIPL): the payload and the files go now, not at the end of the retention period, and
    so do the copies of its values in the audit log (the delete's "before", the create's
    "after"): they are replaced by signed tombstones that keep the chain verifiable
    (``core.audit.erase_values``). The erase entry keeps what was erased and why, never
    the content."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the record is erased (for example the "
                                            "request it answers).")]})
    with transaction.atomic():
        entry = _locked(entry)
        copies = _audit_copies(entry, _objects(_payload(entry)))
        record = audit_record(actor=by, action=ERASE, object_type=entry.model,
                              object_id=entry.object_pk, object_repr=_name(entry),
                              after={"reason": reason[:500], "rows": entry.rows,
                                     "deleted_at": entry.deleted_at.isoformat(),
                                     "audit_values_erased": [a.seq for a in copies]},
                              immediate=True)  # its seq names the erasure in the tombstones
        erase_values(copies, by_seq=record.seq)
        _delete_files(entry)
        entry.delete()


def retention_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) - dt.timedelta(days=settings.ZUGONG_RECYCLE_KEEP_DAYS)


def purge(*, now: dt.datetime | None = None) -> int:
    """Drop bin entries older than ``ZUGONG_RECYCLE_KEEP_DAYS`` (the scheduled job); one
    audit entry for the run, listing what went."""
    expired = list(RecycledRecord.objects.filter(deleted_at__lt=retention_cutoff(now)))
    if not expired:
        return 0
    with transaction.atomic():
        by_model: dict[str, list[str]] = defaultdict(list)
        for entry in expired:
            _delete_files(entry)
            by_model[entry.model].append(entry.object_pk)
        RecycledRecord.objects.filter(pk__in=[e.pk for e in expired]).delete()
        audit_record(actor=SYSTEM, action=PURGE, object_type="core.recycledrecord",
                     object_repr=str(len(expired)),
                     after={"keep_days": settings.ZUGONG_RECYCLE_KEEP_DAYS,
                            "records": dict(by_model)})
    return len(expired)
