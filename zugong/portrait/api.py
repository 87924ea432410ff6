"""API of the portrait: one cadre's five dimensions for a year, every score with its
sources (value, weight, link to the records) and the trend over the years before."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from . import selectors

router = Router(tags=["portrait"])


class PortraitQuery(Schema):
    # A string, so that a bad value gets the Chinese 422 rather than the schema's English.
    year: str | None = None


class SourceOut(Schema):
    source: str
    label: str
    unit: str
    weight: Decimal
    target: Decimal
    direction: str
    sensitive: bool
    hidden: bool
    value: Decimal | None
    part: Decimal | None
    counted: bool
    records_url: str


class DimensionOut(Schema):
    key: str
    label: str
    score: Decimal | None
    sources: list[SourceOut]


class TrendOut(Schema):
    key: str
    scores: list[Decimal | None]


class PortraitOut(Schema):
    person_id: int
    name: str
    year: int
    years: list[int]
    dimensions: list[DimensionOut]
    trend: list[TrendOut]
    # The rule set that scored the person: a department's (its id) or the defaults (null).
    rules: str
    rules_department_id: int | None


def _year(raw: str | None) -> int:
    today = timezone.localdate()
    if raw in (None, ""):
        return today.year
    if not raw.isdigit() or not 2000 <= int(raw) <= today.year + 1:
        raise ValidationError({"year": [_("Give a year between 2000 and next year.")]})
    return int(raw)


@router.get("/portrait/people/{person_id}", response=PortraitOut)
def get_portrait(request, person_id: int, q: Query[PortraitQuery]):
    """The portrait of a cadre in the caller's scope (404 for anyone else)."""
    year = _year(q.year)
    person = selectors.person_for_portrait(user=request.user, pk=person_id)
    p = selectors.portrait(user=request.user, person=person, year=year)
    return {
        "person_id": person.pk, "name": person.name, "year": p.year, "years": p.years,
        "dimensions": [{"key": d.key, "label": d.label, "score": d.score, "sources": [
            {"source": line.source, "label": line.label, "unit": line.unit,
             "weight": line.weight, "target": line.target, "direction": line.direction,
             "sensitive": line.sensitive, "hidden": line.hidden, "value": line.value,
             "part": line.part, "counted": line.counted, "records_url": line.url}
            for line in d.lines]} for d in p.dimensions],
        "trend": [{"key": key, "scores": scores} for key, scores in p.trend.items()],
        "rules": p.rules_label,
        "rules_department_id": p.rules_owner.pk if p.rules_owner else None,
    }
