"""Functions the talks app offers other apps through ``core.registry.hook`` beyond those
in selectors (its plugin's ``hooks``): they take ids, never a user; the caller has
already chosen the people it may see."""

from __future__ import annotations

import datetime as dt

from .models import Talk, Visit


def archive_entries(person_id: int) -> list[tuple[str, dt.date, str, str]]:
    """``talks.archive_entries`` (supervision's political-quality archive, categories
    "talks" and "visits"): the talks held with the person and the visits to them, as
    (category, day, kind and who held it or where, link); never a summary or a finding.
    Two queries."""
    talks = [("talks", t.held_on, f"{t.get_kind_display()} · {t.by.name}", f"/talks/{t.pk}/")
             for t in Talk.objects.filter(parties__person_id=person_id).select_related("by")
             .distinct().order_by("-held_on", "-id")]
    visits = [("visits", v.on, f"{v.get_kind_display()} · {v.place}", f"/talks/visits/{v.pk}/")
              for v in Visit.objects.filter(person_id=person_id).order_by("-on", "-id")]
    return talks + visits
