"""Matching imported records to registered people and describing the difference.

The same comparison serves the preview (what the user sees) and the import (what is
written), so a confirmed import writes exactly what was shown, recomputed against the
registry as it is at that moment.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from zugong.core.crypto import provider
from zugong.core.dictionaries import cached_items
from zugong.core.models import DictTable
from zugong.people.access import scope_q
from zugong.people.models import Person
from zugong.people.services import DICT_FIELDS

from .access import Cap
from .lrmx import Codes

PERSON_KEYS = (
    "name", "sex", "birth_date", "ethnicity", "native_place", "birthplace",
    "political_status", "party_join_date", "work_start_date", "health", "professional_title",
    "ft_education", "ft_degree", "ft_school", "is_education", "is_degree", "is_school",
    "current_post", "id_number",
)
# Dates the formats carry to the month only: equal months are equal dates.
MONTH_KEYS = {"birth_date", "party_join_date", "work_start_date"}
# A difference here means "maybe another person": never overwritten by an import.
CONFLICT_KEYS = {"name", "sex", "birth_date", "id_number"}
SUB_KINDS = ("resume", "family", "rewards", "assessments")


def person_label(key: str) -> str:
    return str(Person._meta.get_field(key).verbose_name)


SUB_LABELS = {
    "resume": lambda: _("résumé"), "family": lambda: _("family members"),
    "rewards": lambda: _("rewards and punishments"),
    "assessments": lambda: _("annual assessments"), "photo": lambda: _("photo"),
    "extras": lambda: _("appointment form text"),
}


def _month(value: str | None) -> str | None:
    return value[:7] if value else None


def person_to_record(person: Person, *, photo: bool = True, sheet: dict | None = None) -> dict:
    """A registered person → the same record shape the readers produce."""
    items = cached_items()

    def code(field):
        pk = getattr(person, f"{field}_id")
        return items[pk].code if pk in items else None

    p = {}
    for key in PERSON_KEYS:
        if key in DICT_FIELDS:
            p[key] = code(key)
        else:
            value = getattr(person, key)
            p[key] = value.isoformat() if isinstance(value, dt.date) else (value or "")
            if key in MONTH_KEYS and not value:
                p[key] = None
    record = {"source": str(person.pk), "person": p, "extras": {}, "uncertain": []}
    record["resume"] = [{"start": r.start.isoformat(), "end": r.end.isoformat() if r.end else None,
                         "text": r.text} for r in sorted(person.resume.all(),
                                                         key=lambda r: (r.start, r.pk))]
    record["family"] = [{
        "kind": f.kind, "relation": items[f.relation_id].code,
        "name": f.name, "birth_date": f.birth_date.isoformat() if f.birth_date else None,
        "political_status": items[f.political_status_id].code if f.political_status_id else None,
        "work_unit_and_post": f.work_unit_and_post, "is_deceased": f.is_deceased,
    } for f in person.family.all()]
    # Sorted here rather than with order_by() so that prefetched rows are used.
    record["rewards"] = [{"kind": r.kind, "date": r.date.isoformat(), "title": r.title,
                          "issuer": r.issuer, "reason": r.reason}
                         for r in sorted(person.rewards.all(), key=lambda r: (r.date, r.pk))]
    record["assessments"] = [{"year": a.year, "result": items[a.result_id].code}
                             for a in sorted(person.assessments.all(), key=lambda a: a.year)]
    if sheet is None:
        from .models import FormSheet

        found = FormSheet.objects.filter(person=person).first()
        sheet = found.fields if found else {}
    record["extras"] = dict(sheet)
    record["registry"] = {
        "phone": person.phone or "", "unit": person.unit.code if person.unit_id else "",
        "post_level": items[person.post_level_id].code if person.post_level_id else None,
        "category": person.category,
    }
    record["photo"] = None
    if photo and person.photo:
        try:
            with person.photo.open("rb") as fh:
                record["photo"] = base64.b64encode(fh.read()).decode("ascii")
        except OSError:
            record["photo"] = None
    return record


def _norm_sub(kind: str, rows: list[dict]) -> list[tuple]:
    """Sub-records compared at the precision the formats carry."""
    if kind == "resume":
        return sorted((_month(r["start"]), _month(r.get("end")), r["text"]) for r in rows)
    if kind == "family":
        return sorted((r.get("kind", "family"), r["relation"] or "", r["name"],
                       _month(r.get("birth_date")) or "", r.get("political_status") or "",
                       r.get("work_unit_and_post", ""), bool(r.get("is_deceased")))
                      for r in rows)
    if kind == "rewards":
        return sorted((r["kind"], _month(r["date"]), r["title"], r.get("issuer", ""),
                       r.get("reason", "")) for r in rows)
    return sorted((int(r["year"]), r["result"]) for r in rows)


@dataclass
class Change:
    section: str  # "person", a sub-record kind, "photo" or "extras"
    key: str
    label: str
    old: str
    new: str
    kind: str  # "new", "change" or "conflict"


@dataclass
class PersonDiff:
    """One imported record against the registry."""

    index: int
    source: str
    name: str
    status: str  # "create", "update", "same", "conflict"
    person_id: int | None = None
    matched_by: str = ""
    blocking: str = ""  # why this record can only be skipped
    changes: list[Change] = field(default_factory=list)
    uncertain: list[dict] = field(default_factory=list)

    @property
    def can_apply(self) -> bool:
        return not self.blocking and self.status in ("create", "update", "conflict") and \
            any(c.kind != "conflict" for c in self.changes)

    @property
    def default_apply(self) -> bool:
        return self.can_apply and self.status in ("create", "update")

    def counts(self) -> dict:
        return {k: sum(1 for c in self.changes if c.kind == k)
                for k in ("new", "change", "conflict")}


def _display(key: str, value, codes: Codes) -> str:
    if value in (None, ""):
        return ""
    if key in DICT_FIELDS:
        return codes.name(DICT_FIELDS[key], value) or str(value)
    if key in MONTH_KEYS:
        return str(value)[:7] if key != "birth_date" else str(value)
    return str(value)


def _sub_display(kind: str, rows: list[dict], codes: Codes) -> str:
    if kind == "resume":
        return "；".join(f"{_month(r['start'])}–{_month(r.get('end')) or ''} {r['text']}"
                        for r in rows)
    if kind == "family":
        return "；".join(f"{codes.name(DictTable.FAMILY_RELATION, r['relation'])} {r['name']}"
                        for r in rows)
    if kind == "rewards":
        return "；".join(f"{_month(r['date'])} {r['title']}" for r in rows)
    return "；".join(f"{r['year']} {codes.name(DictTable.ASSESSMENT_RESULT, r['result'])}"
                    for r in rows)


def photo_digest(b64: str | None) -> str | None:
    return hashlib.sha256(base64.b64decode(b64)).hexdigest() if b64 else None


def compare(index: int, record: dict, existing: dict | None, codes: Codes) -> list[Change]:
    """Field by field: empty imported values say nothing; sub-records compare as blocks."""
    changes: list[Change] = []
    imported = record["person"]
    for key in PERSON_KEYS:
        new = imported.get(key)
        if new in (None, ""):
            continue
        old = existing["person"].get(key) if existing else None
        label = person_label(key)
        if old in (None, ""):
            changes.append(Change("person", key, label, "", _display(key, new, codes), "new"))
            continue
        same = _month(old) == _month(new) if key in MONTH_KEYS else old == new
        if not same:
            kind = "conflict" if key in CONFLICT_KEYS else "change"
            changes.append(Change("person", key, label, _display(key, old, codes),
                                  _display(key, new, codes), kind))
    old_registry = existing.get("registry", {}) if existing else {}
    for key, new in (record.get("registry") or {}).items():
        if new in (None, "") or (existing is None and key in ("unit", "category")):
            continue
        old = old_registry.get(key)
        if old != new:
            label = {"unit": _("unit code")}.get(key) or person_label(key)
            changes.append(Change("registry", key, label, _display(key, old, codes),
                                  _display(key, new, codes), "change" if old else "new"))
    for kind in SUB_KINDS:
        new_rows = record.get(kind) or []
        if not new_rows:
            continue
        old_rows = existing.get(kind, []) if existing else []
        if kind == "assessments":
            old_by_year = {int(a["year"]): a["result"] for a in old_rows}
            for a in new_rows:
                year, result = int(a["year"]), a["result"]
                label = _("annual assessment %(year)s") % {"year": year}
                name = codes.name(DictTable.ASSESSMENT_RESULT, result)
                if year not in old_by_year:
                    changes.append(Change(kind, str(year), label, "", name, "new"))
                elif old_by_year[year] != result:
                    changes.append(Change(kind, str(year), label, codes.name(
                        DictTable.ASSESSMENT_RESULT, old_by_year[year]), name, "change"))
            continue
        if _norm_sub(kind, new_rows) == _norm_sub(kind, old_rows):
            continue
        changes.append(Change(kind, kind, SUB_LABELS[kind](), _sub_display(kind, old_rows, codes),
                              _sub_display(kind, new_rows, codes),
                              "change" if old_rows else "new"))
    if record.get("photo"):
        old_digest = photo_digest(existing.get("photo")) if existing else None
        if old_digest != photo_digest(record["photo"]):
            changes.append(Change("photo", "photo", SUB_LABELS["photo"](), "",
                                  _("JPEG image"), "change" if old_digest else "new"))
    new_extras = record.get("extras") or {}
    old_extras = existing.get("extras", {}) if existing else {}
    for key, value in sorted(new_extras.items()):
        if value and old_extras.get(key) != value:
            from .lrmx import LABELS, UNPARSED

            label_key = next((k for k, v in UNPARSED.items() if v == key), key)
            label = str(LABELS.get(label_key, key))
            if key in UNPARSED.values():
                label = _("%(field)s (text kept as written)") % {"field": label}
            changes.append(Change("extras", key, label, old_extras.get(key, ""), value,
                                  "change" if old_extras.get(key) else "new"))
    return changes


def blocked_message() -> str:
    """The one refusal for a record that matches someone the importer may not change."""
    return _("This record conflicts with the register and cannot be imported here.")


def _visible_q(user, cap):
    return scope_q(user, cap, kind="person") if user is not None else None


def _chunks(items: list, size: int = 500):
    for i in range(0, len(items), size):
        yield items[i:i + size]


class Matcher:
    """Finds the registered person of every record of a batch with a few grouped queries:
    by ID number's blind index, else by name and birth month among the people the user may
    see. ``user=None`` is the command line, which acts for the whole installation."""

    def __init__(self, records: list[dict], *, user):
        self.user = user
        self.write_q = _visible_q(user, Cap.PEOPLE_CHANGE)
        view_q = _visible_q(user, Cap.PEOPLE_VIEW)
        index_of = {}
        for i, r in enumerate(records):
            if r["person"].get("id_number"):
                index_of[i] = provider().blind_index(r["person"]["id_number"])
        self.index_of = index_of
        self.by_index: dict[str, Person] = {}
        for chunk in _chunks(sorted(set(index_of.values()))):
            for person in Person.objects.filter(id_number_index__in=chunk):
                self.by_index[person.id_number_index] = person
        names = sorted({r["person"]["name"] for i, r in enumerate(records)
                        if index_of.get(i) not in self.by_index})
        self.by_name: dict[tuple, list[Person]] = {}
        if user is None or view_q is not None:
            for chunk in _chunks(names):
                qs = Person.objects.filter(name__in=chunk)
                if view_q is not None:
                    qs = qs.filter(view_q)
                for person in qs:
                    key = (person.name, person.birth_date.year, person.birth_date.month)
                    self.by_name.setdefault(key, []).append(person)
        found = [p.pk for p in self.by_index.values()] + [
            p.pk for group in self.by_name.values() for p in group]
        self.writable: set[int] | None = None
        if user is not None:
            self.writable = set()
            if self.write_q is not None:
                for chunk in _chunks(found):
                    self.writable |= set(Person.objects.filter(self.write_q, pk__in=chunk)
                                         .values_list("pk", flat=True))

    def _can_write(self, person: Person) -> bool:
        return self.writable is None or person.pk in self.writable

    def match(self, i: int, record: dict) -> tuple[Person | None, str, str]:
        if self.user is not None and self.write_q is None:
            return None, "", _("You may not change people.")
        found = self.by_index.get(self.index_of.get(i))
        if found:
            if not self._can_write(found):
                # The ID number may belong to someone the importer cannot even see: the
                # answer is the one every refused match gets, with no name and no word on
                # where (or whether) the number is registered.
                return None, "", blocked_message()
            return found, "id_number", ""
        born = dt.date.fromisoformat(record["person"]["birth_date"])
        candidates = self.by_name.get((record["person"]["name"], born.year, born.month), [])
        if len(candidates) > 1:
            return None, "", _("Several registered people have this name and birth month; "
                               "import this person by ID number.")
        if candidates:
            if not self._can_write(candidates[0]):
                return None, "", blocked_message()
            return candidates[0], "name_birth", ""
        return None, "", ""


def registered_records(people: list[Person]) -> dict[int, dict]:
    """person_to_record for many people: sub-records fetched once for all of them."""
    from .models import FormSheet

    out = {}
    for chunk in _chunks([p.pk for p in people]):
        qs = Person.objects.filter(pk__in=chunk).select_related("unit").prefetch_related(
            "resume", "family", "rewards", "assessments")
        sheets = dict(FormSheet.objects.filter(person_id__in=chunk)
                      .values_list("person_id", "fields"))
        for person in qs:
            out[person.pk] = person_to_record(person, sheet=sheets.get(person.pk, {}))
    return out


def diff_batch(records: list[dict], *, user, codes: Codes | None = None) -> list[PersonDiff]:
    codes = codes or Codes.load()
    matcher = Matcher(records, user=user)
    matches = [matcher.match(i, r) for i, r in enumerate(records)]
    existing = registered_records([m[0] for m in matches if m[0] is not None])
    diffs = []
    for i, (record, (person, matched_by, blocking)) in enumerate(zip(records, matches,
                                                                     strict=True)):
        diff = PersonDiff(index=i, source=record["source"], name=record["person"]["name"],
                          status="create", uncertain=record.get("uncertain", []))
        diffs.append(diff)
        if blocking:
            diff.status, diff.blocking = "conflict", blocking
            continue
        if person is None:
            diff.changes = compare(i, record, None, codes)
            continue
        diff.person_id, diff.matched_by = person.pk, matched_by
        diff.changes = compare(i, record, existing[person.pk], codes)
        if not diff.changes:
            diff.status = "same"
        elif any(c.kind == "conflict" for c in diff.changes):
            diff.status = "conflict"
        else:
            diff.status = "update"
    return diffs


def diff_record(index: int, record: dict, *, user, codes: Codes) -> PersonDiff:
    diff = diff_batch([record], user=user, codes=codes)[0]
    diff.index = index
    return diff


def duplicate_problems(records: list[dict]) -> list[tuple[str, str, str]]:
    """The same person twice in one batch: (file, field, message) for the later copies."""
    seen: dict[str, str] = {}
    problems = []
    for r in records:
        p = r["person"]
        key = p.get("id_number") or f"{p['name']}|{(p.get('birth_date') or '')[:7]}"
        if key in seen:
            problems.append((r["source"], "ShenFenZheng" if p.get("id_number") else "XingMing",
                             _("The same person is also in %(other)s.") % {"other": seen[key]}))
        else:
            seen[key] = r["source"]
    return problems


def batch_preview(*, user, batch) -> dict:
    """What the preview shows: each person compared with the registry and where they go
    (unit and category), the units the import creates, and the totals."""
    import json

    from zugong.people.models import OrgUnit, PersonCategory

    from .models import ImportBatch

    payload = json.loads(batch.payload) if batch.status == ImportBatch.Status.PREVIEW else []
    records = payload["records"] if isinstance(payload, dict) else payload
    units = payload.get("units", []) if isinstance(payload, dict) else []
    known_units = {u["code"]: u for u in OrgUnit.objects.filter(
        code__in={u["code"] for u in units}).values("code", "name")}
    new_units = [u for u in units if u["code"] not in known_units]
    diffs = diff_batch(records, user=user) if records else []
    codes = {(r.get("registry") or {}).get("unit") for r in records} - {None, ""}
    names = dict(OrgUnit.objects.filter(code__in=codes).values_list("code", "name"))
    names.update({u["code"]: u["name"] for u in new_units})
    current = dict(Person.objects.filter(pk__in=[d.person_id for d in diffs if d.person_id])
                   .values_list("pk", "unit__name"))
    categories = dict(PersonCategory.choices)
    for diff in diffs:
        registry = records[diff.index].get("registry") or {}
        code = registry.get("unit")
        if code:
            diff.unit_name = names.get(code, code)
        elif diff.person_id:
            diff.unit_name = current.get(diff.person_id, "")
        else:
            diff.unit_name = batch.unit.name if batch.unit_id else ""
        category = registry.get("category") or (batch.category if not diff.person_id else "")
        diff.category_label = categories.get(category, "")
    totals = {s: sum(1 for d in diffs if d.status == s)
              for s in ("create", "update", "same", "conflict")}
    return {"diffs": [d for d in diffs if d.status != "same"],
            "unchanged": [d for d in diffs if d.status == "same"],
            "new_units": new_units, "totals": totals}
