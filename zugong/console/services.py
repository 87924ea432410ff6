"""Writes of the administrators' pages: code tables and on-demand audit checks."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zugong.core import recycle
from zugong.core.audit import audit_record, audit_verify
from zugong.core.dictionaries import invalidate_cache
from zugong.core.models import DictItem, DictTable
from zugong.people.access import Cap, require_cap

from .access import may_erase

# Audit action names (<app>.<entity>.<verb>).
DICTIONARY_SAVE = "console.dictionary.save"
AUDIT_VERIFY = "console.audit.verify"
AUDIT_VALUES_READ = "console.audit.read_values"


def dictionary_save(*, by, table: str, code: str, name: str, is_active: bool) -> DictItem:
    """Add or rename a code table entry (security administrator)."""
    require_cap(by, Cap.DICT_CHANGE)
    code, name = code.strip(), name.strip()
    if table not in DictTable.values:
        raise ValidationError(_("Unknown code table."))
    if not code or not name:
        raise ValidationError(_("Both the code and the name are required."))
    if len(code) > 16 or len(name) > 64:
        raise ValidationError(_("The code or the name is too long."))
    with transaction.atomic():
        item = DictItem.objects.select_for_update().filter(table=table, code=code).first()
        before = {"name": item.name, "is_active": item.is_active} if item else None
        if item is None:
            item = DictItem(table=table, code=code, origin="local")
        item.name, item.is_active = name, is_active
        item.save()
        audit_record(actor=by, action=DICTIONARY_SAVE, obj=item, before=before,
                     after={"table": table, "code": code, "name": name, "is_active": is_active})
    invalidate_cache()
    return item


def audit_verify_now(*, by):
    """Verify the chain on the auditor's request; the check itself is audited."""
    require_cap(by, Cap.AUDIT_VIEW)
    report = audit_verify()
    audit_record(actor=by, action=AUDIT_VERIFY, object_type="core.auditentry",
                 after={"checked": report.checked, "problems": len(report.problems)})
    return report


def audit_values_read(*, by, entry) -> None:
    """Log that ``by`` read the values of ``entry`` (the page calls it on each opening);
    the new entry names the one read, never its values."""
    audit_record(actor=by, action=AUDIT_VALUES_READ, object_type="core.auditentry",
                 object_id=str(entry.seq), object_repr=f"#{entry.seq} {entry.action}")
# ---------------------------------------------------------------- recycle bin

def recycled_restore(*, by, entry) -> None:
    """Put a deleted record back (core.recycle audits it); the caller found the entry
    through ``selectors.recycled_get_for_user``, which is what allows the restore."""
    recycle.restore(entry, by=by)


def recycled_erase(*, by, entry, reason: str) -> None:
    """Erase a deleted record for good, on a request the law grants (PIPL); only with the
    erase capability over the record's department."""
    if not may_erase(by, entry):
        raise PermissionDenied
    recycle.erase(entry, by=by, reason=reason)
