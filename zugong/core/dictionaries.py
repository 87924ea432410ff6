"""Loading and resolving the national code tables (字典).

The tables are copied into ``zugong/core/data`` (origin in ``ORIGIN.md``) so the
product never reads anything outside its package at run time.
"""

from __future__ import annotations

import csv
import threading
import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import DictItem, DictTable

DATA = Path(__file__).resolve().parent / "data"

CODE_FILES = {
    DictTable.SEX: ("codes/GB2261.1-sex.csv", "GB/T 2261.1"),
    DictTable.HEALTH: ("codes/GB2261.3-health.csv", "GB/T 2261.3"),
    DictTable.ETHNICITY: ("codes/GB3304-ethnicity.csv", "GB/T 3304"),
    DictTable.POLITICAL_STATUS: ("codes/GB4762-political-status.csv", "GB/T 4762"),
    DictTable.FAMILY_RELATION: ("codes/GB4761-family-relation.csv", "GB/T 4761"),
    DictTable.EDUCATION: ("codes/GB4658-education.csv", "GB/T 4658-2006"),
    DictTable.DEGREE: ("codes/GB6864-degree.csv", "GB/T 6864"),
    DictTable.POST_LEVEL: ("codes/GB12407-post-level-partial.csv", "GB/T 12407-2008"),
    DictTable.ASSESSMENT_RESULT: ("codes/assessment-result.csv", "公务员考核规定"),
}


def _rows(table: str):
    if table == DictTable.DIVISION:
        for name, parent_col in (("provinces", None), ("cities", "provinceCode"),
                                 ("areas", "cityCode")):
            with open(DATA / "divisions" / f"{name}.csv", encoding="utf-8") as fh:
                for row in csv.DictReader(fh):
                    yield row["code"], row["name"], row[parent_col] if parent_col else ""
        return
    path, _origin = CODE_FILES[table]
    with open(DATA / path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            yield row["code"], row["name"], row.get("parent") or ""


def load_dictionaries(item_model=DictItem) -> int:
    """Insert missing entries of every table; existing (possibly edited) rows are kept."""
    existing = set(item_model.objects.values_list("table", "code"))
    new = []
    for table in [*CODE_FILES, DictTable.DIVISION]:
        origin = CODE_FILES[table][1] if table in CODE_FILES else "GB/T 2260 (2023)"
        for position, (code, name, parent) in enumerate(_rows(table)):
            if (table, code) not in existing:
                new.append(item_model(table=table, code=code, name=name, parent_code=parent,
                                      position=position, origin=origin))
    item_model.objects.bulk_create(new, batch_size=1000)
    return len(new)


def resolve(table: str, value, *, field: str, required: bool = False) -> DictItem | None:
    """Turn a code (or an entry) into the entry of ``table``; unknown codes are errors."""
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("This field is required.")})
        return None
    if isinstance(value, DictItem):
        if value.table != table:
            raise ValidationError({field: _("Unknown code value “%(v)s”.") % {"v": value.code}})
        return value
    item = DictItem.objects.filter(table=table, code=str(value).strip(), is_active=True).first()
    if item is None:
        raise ValidationError({field: _("Unknown code value “%(v)s”.") % {"v": value}})
    return item


def choices(table: str):
    return DictItem.objects.filter(table=table, is_active=True).order_by("position", "code")


# Code tables are small and read on every page; joining nine of them into the person
# query cost more in PostgreSQL's planner than the query itself. Each process keeps the
# entries (divisions excepted) for a minute, and edits through the service drop it.
CACHE_SECONDS = 60
_cache: dict = {"at": float("-inf"), "items": {}}
_lock = threading.Lock()


def cached_items() -> dict[int, DictItem]:
    with _lock:
        if time.monotonic() - _cache["at"] > CACHE_SECONDS:
            items = DictItem.objects.exclude(table=DictTable.DIVISION)
            _cache["items"] = {item.pk: item for item in items}
            _cache["at"] = time.monotonic()
        return _cache["items"]


def invalidate_cache() -> None:
    with _lock:
        _cache["at"] = float("-inf")


def attach(objects, fields) -> None:
    """Fill the code-table foreign keys of ``objects`` from the cache (no queries)."""
    items = cached_items()
    for obj in objects:
        for field in fields:
            pk = getattr(obj, f"{field}_id")
            if pk is not None and pk in items:
                setattr(obj, field, items[pk])
