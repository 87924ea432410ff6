"""zugong reencrypt: rewrite encrypted fields and blind indexes under the current key.

The fields are found, not listed: every concrete field of every installed model that is
an ``EncryptedTextField``, and beside it the blind index named ``<field>_index`` when the
model has one. A hand-kept list would silently skip the next encrypted field an app adds,
and its values would become unreadable once the old key is retired.
"""

from collections import Counter

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from zugong.core.audit import SYSTEM, audit_record, audit_verify
from zugong.core.crypto import provider
from zugong.core.fields import EncryptedTextField


def encrypted_fields():
    """[(model, [(field name, blind-index field name or None)])] of every installed model."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        names = {f.name for f in model._meta.concrete_fields}
        fields = [(f.name, f"{f.name}_index" if f"{f.name}_index" in names else None)
                  for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if fields:
            found.append((model, fields))
    return found


def reencrypt_all() -> Counter:
    """Re-encrypt every encrypted value and rebuild its blind index; counts per field."""
    counts: Counter = Counter()
    index = provider().blind_index
    for model, fields in encrypted_fields():
        names = [name for name, _ in fields]
        rows = model._base_manager.select_for_update().only("pk", *names)
        for row in rows.iterator(chunk_size=1000):
            changes = {}
            for name, index_name in fields:
                value = getattr(row, name)
                changes[name] = value
                if value not in (None, ""):
                    counts[f"{model._meta.label_lower}.{name}"] += 1
                if index_name:
                    changes[index_name] = index(value) if value else None
            # update(): no save() signals, no version bump, no auto_now; only the values.
            model._base_manager.filter(pk=row.pk).update(**changes)
    return counts


class Command(BaseCommand):
    help = "After adding a new first key to ZUGONG_FIELD_KEYS, re-encrypt every value with it."

    def handle(self, *args, **options):
        version = provider().current_version
        with transaction.atomic():
            counts = reencrypt_all()
            audit_record(actor=SYSTEM, action="core.crypto.reencrypt",
                         after={"fields": dict(counts), "key_version": version})
        # Verified while the old key is still configured: the checkpoint it leaves, signed
        # with the new key, vouches for the entries the old key signed once it is retired.
        report = audit_verify()
        for label in sorted(counts):
            self.stdout.write(f"{label}: {counts[label]}")
        self.stdout.write(f"{sum(counts.values())} values re-encrypted with key {version}.")
        if not report.ok:
            raise CommandError(
                f"the audit chain does not verify ({len(report.problems)} problem(s)); run "
                f"'zugong audit verify' and keep the old key until it is resolved.")
        self.stdout.write(f"Audit chain verified ({report.checked} entries) and checkpointed "
                          f"with key {version}; older keys may now be removed.")
