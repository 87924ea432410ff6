"""The audit chain: append entries, verify the chain.

Each entry's MAC covers its own fields and the previous entry's MAC, so changing,
inserting or deleting a row breaks the chain at that row. Appending locks the single
``AuditHead`` row inside the caller's transaction, which serializes writers on
PostgreSQL; SQLite already serializes writers with immediate transactions.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from .context import client_ip
from .crypto import provider
from .masking import mask_dict
from .models import AuditEntry, AuditHead


class SystemActor:
    """The product itself as the actor: scheduled jobs, imports, the demo.

    Passing :data:`SYSTEM` says on purpose "no person did this", where ``actor=None``
    may be a forgotten argument. The entry keeps no user id and the name "system".
    """

    pk = None
    username = "system"
    is_authenticated = False

    def __str__(self) -> str:
        return self.username

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = SystemActor()

# Action names read "<app>.<entity>.<verb>": three lowercase parts, underscores allowed
# ("learning.record.confirm", "people.person.update"), so the audit page can filter by
# app or entity with a prefix. Notice kinds follow the same rule (core/notices.py).
DOTTED_NAME = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*")

# Off while apps still write their older names; switch on (or set it in a test) to make
# audit_record refuse any other shape.
ENFORCE_ACTION_NAMES = False


def action_name_ok(name: str) -> bool:
    """Whether ``name`` has the shape "<app>.<entity>.<verb>"."""
    return bool(DOTTED_NAME.fullmatch(name))


def _canonical(entry: AuditEntry) -> bytes:
    payload = {
        "seq": entry.seq,
        "at": entry.at.astimezone(dt.UTC).isoformat(),
        "actor_id": entry.actor_id,
        "actor_username": entry.actor_username,
        "ip": entry.ip,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "before": entry.before,
        "after": entry.after,
        "prev_mac": entry.prev_mac,
    }
    return json.dumps(
        payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    ).encode("utf-8")


def _jsonable(data: dict | None) -> dict | None:
    # Round-trip through JSON so the MAC is computed over exactly what the database keeps.
    if data is None:
        return None
    return json.loads(json.dumps(mask_dict(data), ensure_ascii=False, default=str))


def audit_record(
    *,
    actor=None,
    action: str,
    obj=None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: dict | None = None,
    after: dict | None = None,
    username: str = "",
    ip: str | None = None,
) -> AuditEntry:
    """Append one entry. Sensitive values in ``before``/``after`` are masked.

    ``actor`` is a user, :data:`SYSTEM` for the product itself, or None (no one signed in,
    as for a failed login).
    """
    if ENFORCE_ACTION_NAMES and not action_name_ok(action):
        raise ValueError(f"audit action {action!r} is not <app>.<entity>.<verb>")
    if isinstance(actor, SystemActor):
        actor, username = None, username or SYSTEM.username
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        entry = AuditEntry(
            seq=head.last_seq + 1,
            at=timezone.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            actor_username=username or getattr(actor, "username", "") or "",
            ip=client_ip.get() if ip is None else ip,
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr[:200],
            before=_jsonable(before),
            after=_jsonable(after),
            prev_mac=head.last_mac,
        )
        entry.mac = provider().mac(_canonical(entry))
        entry.save()
        head.last_seq, head.last_mac = entry.seq, entry.mac
        head.save(update_fields=["last_seq", "last_mac"])
    return entry


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    reason: str


@dataclass(frozen=True)
class ChainReport:
    checked: int
    problems: list[ChainProblem]

    @property
    def ok(self) -> bool:
        return not self.problems


def audit_verify() -> ChainReport:
    """Walk the whole chain and name every entry that does not verify."""
    problems: list[ChainProblem] = []
    expected_seq = 1
    prev_mac = ""
    checked = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        checked += 1
        if entry.seq != expected_seq:
            problems.append(
                ChainProblem(entry.seq, f"entries {expected_seq}..{entry.seq - 1} are missing")
            )
        elif entry.prev_mac != prev_mac:
            problems.append(ChainProblem(entry.seq, "link to the previous entry is broken"))
        if provider().mac(_canonical(entry)) != entry.mac:
            problems.append(ChainProblem(entry.seq, "content does not match its MAC"))
        expected_seq = entry.seq + 1
        prev_mac = entry.mac
    head = AuditHead.objects.filter(pk=1).first()
    if head and head.last_seq != expected_seq - 1:
        problems.append(
            ChainProblem(head.last_seq, f"entries after {expected_seq - 1} are missing")
        )
    return ChainReport(checked=checked, problems=problems)


def model_snapshot(obj, fields) -> dict:
    """The audited view of a model instance: the named fields, foreign keys as ids."""
    data = {}
    for name in fields:
        field = obj._meta.get_field(name)
        value = getattr(obj, field.attname)
        if isinstance(value, FieldFile):
            value = value.name or ""
        data[name] = value
    return json.loads(json.dumps(data, default=str))
