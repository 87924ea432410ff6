"""The audit chain: append entries, verify the chain.

Each entry's MAC covers its own fields and the previous entry's MAC, so changing,
inserting or deleting a row breaks the chain at that row. Appending locks the single
``AuditHead`` row inside the caller's transaction, which serializes writers on
PostgreSQL; SQLite already serializes writers with immediate transactions. So that the
lock is held as briefly as possible, a transaction's entries are appended together just
before it commits (:func:`audit_record`).

The values an entry records (before/after) are SM4-encrypted in an
:class:`~zugong.core.models.AuditPayload` beside it; the entry itself names only the
fields, so the auditor sees who, when, from where, what kind of action on which object and
which fields, never the values. The MAC covers the plaintext values, so re-encrypting a
payload under a new key keeps the chain, while changing or deleting one breaks it.

Erasure (PIPL): :func:`erase_values` replaces the values of chosen entries with a signed
tombstone. The tombstone keeps the SM3 hash of the entry's canonical text (values
included), binds it to the entry's MAC, field names and the rest of the entry, and is
signed with the audit key after the entry was verified one last time; verification then
checks the tombstone instead of the MAC, so the chain still shows any change, insertion or
removal while no readable copy of the values is left. Checkpoints written before an erasure
covered the values; they are superseded by it (their digest cannot be recomputed), and the
next verification writes a new one.

Each entry records the key version that signed it, so a key rotation keeps old entries
verifiable for as long as the old key is configured. Each verification leaves a signed
:class:`~zugong.core.models.AuditCheckpoint` outside the entries table: the chain alone
cannot tell a cut-off tail (last entries deleted, head moved back) from a shorter log.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from django.db import transaction
from django.db.models import TextField
from django.db.models.fields.files import FieldFile
from django.db.models.functions import Cast
from django.utils import timezone

from .context import client_ip
from .crypto import CryptoError, provider
from .db import before_commit, run_before_commit
from .masking import mask_dict
from .models import AuditCheckpoint, AuditEntry, AuditHead, AuditPayload


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

# Every app writes names of this shape, so audit_record refuses any other (a test may
# switch it off to write an old-style entry on purpose).
ENFORCE_ACTION_NAMES = True


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


def changed_fields(before: dict | None, after: dict | None) -> list[str]:
    """The field names an entry shows to the auditor: the keys of its values, sorted."""
    keys: set[str] = set()
    for data in (before, after):
        if isinstance(data, dict):
            keys.update(data)
    return sorted(keys)


def _payload_text(before: dict | None, after: dict | None) -> str:
    return json.dumps({"before": before, "after": after}, ensure_ascii=False)


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
    immediate: bool = False,
) -> AuditEntry:
    """Record one entry. Sensitive values in ``before``/``after`` are masked.

    Inside a transaction the entry is appended to the chain just before the transaction
    commits (``zugong.core.db``), with every other entry the transaction records: the
    chain's head row is locked only for that last step, not from the audited change to the
    end of the service, and an entry whose change is rolled back is never appended. The
    returned entry gets its sequence number and MAC then. ``immediate`` appends it now
    (with any entries recorded before it), for a caller that needs its ``seq`` at once;
    the head then stays locked until the transaction ends. Outside a transaction the
    entry is appended at once.

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
    entry = AuditEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_username=username or getattr(actor, "username", "") or "",
        ip=client_ip.get() if ip is None else ip,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
    )
    before, after = _jsonable(before), _jsonable(after)
    entry._zg_values = (before, after)
    entry.fields = changed_fields(before, after)
    connection = transaction.get_connection()
    if immediate:
        run_before_commit(connection)
    elif before_commit(connection, _append, entry):
        return entry
    _append([entry])
    return entry


def _append(entries: list[AuditEntry]) -> None:
    """Chain and store ``entries`` in order: lock the head, sign each entry with the MAC
    of the one before it, insert them and their values, move the head. A failure here
    fails the whole transaction (no savepoint of its own): a change must not land
    without its entry."""
    with transaction.atomic(savepoint=False):
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        at = timezone.now()
        version = provider().current_version
        seq, mac = head.last_seq, head.last_mac
        for entry in entries:
            seq += 1
            entry.seq, entry.at, entry.prev_mac, entry.key_version = seq, at, mac, version
            entry.mac = mac = provider().mac(_canonical(entry), version)
        AuditEntry.objects.bulk_create(entries)
        AuditPayload.objects.bulk_create([
            AuditPayload(entry=entry, data=_payload_text(*entry._zg_values))
            for entry in entries if entry._zg_values != (None, None)])
        head.last_seq, head.last_mac = seq, mac
        head.save(update_fields=["last_seq", "last_mac"])


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


def _checkpoint_payload(seq: int, entry_mac: str, digest: str, at: dt.datetime) -> bytes:
    return json.dumps(
        {"checkpoint": seq, "mac": entry_mac, "digest": digest,
         "at": at.astimezone(dt.UTC).isoformat()},
        sort_keys=True, separators=(",", ":"),
    ).encode("utf-8")


def _shell(entry: AuditEntry) -> bytes:
    """The entry's canonical text without its values (what stays readable after erasure)."""
    saved = getattr(entry, "_zg_values", None)
    entry._zg_values = (None, None)
    try:
        return _canonical(entry)
    finally:
        entry._zg_values = saved


def _sm3(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def _tombstone_payload(entry: AuditEntry, content: str, by_seq: int) -> bytes:
    return json.dumps(
        {"erased": entry.seq, "mac": entry.mac, "content": content, "by": by_seq,
         "shell": _sm3(_shell(entry)), "fields": entry.fields},
        sort_keys=True, ensure_ascii=False, separators=(",", ":"),
    ).encode("utf-8")


def erase_values(entries, *, by_seq: int) -> int:
    """Replace the values of ``entries`` by signed tombstones (erasure under PIPL); the
    entries themselves stay. ``by_seq`` is the audit entry that records the erasure. Only an
    entry that still verifies is vouched for; one that does not stays a reported problem.
    Returns how many payloads were erased."""
    configured = set(provider().versions)
    version = provider().current_version
    done = 0
    for entry in entries:
        if entry._values() == (None, None):
            continue  # nothing recorded, or already erased
        content = _sm3(_canonical(entry))
        verified = _entry_mac(entry, configured) == entry.mac
        tomb = {"content": content, "by": by_seq, "key_version": version,
                "signature": provider().mac(_tombstone_payload(entry, content, by_seq), version)
                if verified else ""}
        AuditPayload.objects.filter(entry=entry).update(
            data=json.dumps({"erased": tomb}))
        entry._zg_values = (None, None)
        done += 1
    return done


def _tombstone_ok(entry: AuditEntry, tomb: dict, configured: set[str]) -> bool:
    version = tomb.get("key_version")
    if version not in configured or not tomb.get("signature"):
        return False
    expected = provider().mac(_tombstone_payload(entry, tomb.get("content", ""),
                                                 tomb.get("by", 0)), version)
    return expected == tomb["signature"]


def _entry_mac(entry: AuditEntry, configured: set[str]) -> str | None:
    """The MAC the entry should carry, with its own key; None if that key is retired."""
    version = entry.key_version or provider().current_version
    if version not in configured:
        return None
    return provider().mac(_canonical(entry), version)


def _when(cp: AuditCheckpoint) -> str:
    return timezone.localtime(cp.at).strftime("%Y-%m-%d %H:%M")


def _checkpoint_problems(checkpoints, seen: dict[int, tuple[str, str]],
                         configured: set[str], erased: dict[int, int] | None = None
                         ) -> tuple[list[ChainProblem], int]:
    """Problems with the checkpoints, and the highest seq an authentic one vouches for.

    ``erased`` maps an erased entry's seq to the seq of the erasure: a checkpoint written
    before an erasure of an entry it covers had that entry's values in its digest, so its
    digest no longer matches and it vouches for nothing, without being a problem."""
    problems = []
    vouched = 0
    erased = erased or {}
    for cp in checkpoints:
        if cp.key_version not in configured:
            # Signed with a retired key: it can no longer be told from a forgery, so it
            # vouches for nothing. The verification at re-encryption wrote a newer one.
            continue
        payload = _checkpoint_payload(cp.seq, cp.entry_mac, cp.digest, cp.at)
        if provider().mac(payload, cp.key_version) != cp.signature:
            problems.append(ChainProblem(cp.seq, f"checkpoint of {_when(cp)} is not authentic"))
        elif cp.seq not in seen:
            problems.append(ChainProblem(
                cp.seq, f"entry named by the checkpoint of {_when(cp)} is missing"))
        elif seen[cp.seq][0] != cp.entry_mac:
            problems.append(ChainProblem(
                cp.seq, f"entry differs from the checkpoint of {_when(cp)}"))
        elif seen[cp.seq][1] != cp.digest and any(
                seq <= cp.seq < by for seq, by in erased.items()):
            continue
        elif seen[cp.seq][1] != cp.digest:
            problems.append(ChainProblem(
                cp.seq, f"entries up to {cp.seq} differ from the checkpoint of {_when(cp)}"))
        else:
            vouched = max(vouched, cp.seq)
    return problems, vouched


def audit_verify(*, checkpoint: bool = True) -> ChainReport:
    """Walk the whole chain and name every entry that does not verify.

    Each entry is checked with the key version that signed it. Every earlier checkpoint
    must still name an existing entry with the same MAC and the same digest of the chain up
    to it; entries signed with a retired key verify only through such a checkpoint (written
    by ``zugong reencrypt`` before the old key is removed). When the whole chain verifies
    and ``checkpoint`` is on, a new signed checkpoint records its last entry.
    """
    configured = set(provider().versions)
    checkpoints = list(AuditCheckpoint.objects.order_by("seq", "id"))
    wanted = {cp.seq for cp in checkpoints}
    seen: dict[int, tuple[str, str]] = {}
    retired: list[AuditEntry] = []
    problems: list[ChainProblem] = []
    expected_seq = 1
    prev_mac = ""
    checked = 0
    last = None
    digest = hashes.Hash(hashes.SM3())
    erased: dict[int, int] = {}
    for entry in _entries_with_values():
        checked += 1
        tomb = getattr(entry, "_zg_erased", None)
        if tomb is not None:
            _check_erased(entry, tomb, configured, expected_seq, prev_mac, problems)
            erased[entry.seq] = tomb.get("by", 0)
            # What the digest can still cover: the entry without its values, the hash of
            # its content, and its MAC.
            digest.update(_shell(entry) + str(tomb.get("content", "")).encode("ascii")
                          + entry.mac.encode("ascii"))
            if entry.seq in wanted:
                seen[entry.seq] = (entry.mac, digest.copy().finalize().hex())
            expected_seq, prev_mac, last = entry.seq + 1, entry.mac, entry
            continue
        if entry._zg_values is _RETIRED:
            problems.append(ChainProblem(entry.seq, "its values are encrypted with a retired "
                                                    "key: run 'zugong reencrypt' first"))
            entry._zg_values = (None, None)
        elif entry._zg_values is _UNREADABLE:
            problems.append(ChainProblem(entry.seq, "its values cannot be decrypted"))
            entry._zg_values = (None, None)
        elif entry.fields != changed_fields(entry.before, entry.after):
            problems.append(ChainProblem(entry.seq, "its field names do not match its values"))
        if entry.seq != expected_seq:
            problems.append(
                ChainProblem(entry.seq, f"entries {expected_seq}..{entry.seq - 1} are missing")
            )
        elif entry.prev_mac != prev_mac:
            problems.append(ChainProblem(entry.seq, "link to the previous entry is broken"))
        expected = _entry_mac(entry, configured)
        if expected is None:
            retired.append(entry)
        elif expected != entry.mac:
            problems.append(ChainProblem(entry.seq, "content does not match its MAC"))
        # The digest covers content and MAC of every entry so far: a checkpoint carrying it
        # still vouches for entries whose own key has been retired.
        digest.update(_canonical(entry) + entry.mac.encode("ascii"))
        if entry.seq in wanted:
            seen[entry.seq] = (entry.mac, digest.copy().finalize().hex())
        expected_seq = entry.seq + 1
        prev_mac = entry.mac
        last = entry
    head = AuditHead.objects.filter(pk=1).first()
    if head and head.last_seq != expected_seq - 1:
        problems.append(
            ChainProblem(head.last_seq, f"entries after {expected_seq - 1} are missing")
        )
    cp_problems, vouched = _checkpoint_problems(checkpoints, seen, configured, erased)
    problems.extend(cp_problems)
    problems.extend(
        ChainProblem(entry.seq, f"key version {entry.key_version!r} is retired and no "
                                f"checkpoint vouches for this entry")
        for entry in retired if entry.seq > vouched
    )
    if checkpoint and not problems and last is not None:
        write_checkpoint(last.seq, last.mac, digest.finalize().hex())
    return ChainReport(checked=checked, problems=problems)


def _check_erased(entry, tomb, configured, expected_seq, prev_mac, problems) -> None:
    """An erased entry: its place in the chain as any other, its content vouched for by
    the tombstone signed when it was erased."""
    if entry.seq != expected_seq:
        problems.append(
            ChainProblem(entry.seq, f"entries {expected_seq}..{entry.seq - 1} are missing"))
    elif entry.prev_mac != prev_mac:
        problems.append(ChainProblem(entry.seq, "link to the previous entry is broken"))
    if not _tombstone_ok(entry, tomb, configured):
        problems.append(ChainProblem(entry.seq, "its values were erased without a valid "
                                                "erasure signature"))


_UNREADABLE = ("unreadable",)
_RETIRED = ("retired",)
CHUNK = 2000


def _entries_with_values():
    """Every entry in order, its values decrypted in bulk (one query per chunk).

    The payloads are read as stored text and decrypted here, so one damaged ciphertext is
    reported as a problem of its entry instead of stopping the verification.
    """
    chunk: list[AuditEntry] = []
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=CHUNK):
        chunk.append(entry)
        if len(chunk) >= CHUNK:
            yield from _attach_values(chunk)
            chunk = []
    yield from _attach_values(chunk)


def _attach_values(entries: list[AuditEntry]) -> list[AuditEntry]:
    if not entries:
        return entries
    stored = dict(AuditPayload.objects.filter(entry_id__in=[e.pk for e in entries])
                  .values_list("entry_id", Cast("data", output_field=TextField())))
    for entry in entries:
        token = stored.get(entry.pk)
        if token is None:
            entry._zg_values = (None, None)
            continue
        if provider().key_version_of(token) not in provider().versions:
            entry._zg_values = _RETIRED
            continue
        try:
            data = json.loads(provider().decrypt(token))
            entry._zg_values = (data.get("before"), data.get("after"))
            if isinstance(data.get("erased"), dict):
                entry._zg_erased = data["erased"]
        except (CryptoError, ValueError, AttributeError):
            entry._zg_values = _UNREADABLE
    return entries


def write_checkpoint(seq: int, entry_mac: str, digest: str) -> AuditCheckpoint:
    """Sign and store "entry ``seq`` had MAC ``entry_mac``, the chain up to it ``digest``"."""
    at = timezone.now().replace(microsecond=0)
    version = provider().current_version
    return AuditCheckpoint.objects.create(
        seq=seq, entry_mac=entry_mac, digest=digest, at=at, key_version=version,
        signature=provider().mac(_checkpoint_payload(seq, entry_mac, digest, at), version),
    )


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
