"""xlsx exports of a plan's results and of the consequence lists (audited: they hold
personal results). Written by the kit's text-safe xlsx response (``core.xlsx``)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from zugong.core.audit import audit_record
from zugong.core.xlsx import Column, Sheet, xlsx_response

from . import events, selectors
from .models import Grade

# The download's name, in the reader's language (a Chinese name in Chinese).
FILE_RESULTS = pgettext_lazy("file name", "results")


def results_xlsx(*, user, plan, rows):
    labels = dict(Grade.choices)
    columns = [
        Column(_("rank"), lambda a: a.rank),
        Column(_("person"), lambda a: a.person.name),
        Column(_("unit"), lambda a: a.person.unit.name, width=24),
        Column(_("score"), lambda a: float(a.score) if a.score is not None else ""),
        Column(_("grade"), lambda a: _("incomplete") if a.incomplete
               else str(labels.get(a.grade, a.grade))),
        Column(_("vetoed"), lambda a: _("yes") if a.vetoed else ""),
        Column(_("adjusted"), lambda a: _("yes") if a.grade != a.computed_grade else ""),
    ]
    response = xlsx_response(filename=f"{plan.name}{FILE_RESULTS}.xlsx",
                             sheets=[Sheet(_("Results"), columns, rows)])
    audit_record(actor=user, action=events.RESULTS_EXPORT, obj=plan,
                 after={"rows": response.row_counts[0]})
    return response


def consequences_xlsx(*, user, dept, year, rows, **_ignored):
    hits = [(row.label, hit) for row in rows for hit in row.people]
    columns = [
        Column(_("consequence"), lambda h: h[0]),
        Column(_("person"), lambda h: h[1]["name"]),
        Column(_("unit"), lambda h: h[1]["unit"], width=24),
        Column(_("annual grades"), lambda h: " ".join(h[1]["grades"])),
    ]
    name = pgettext("file name", "use of assessment results")
    response = xlsx_response(filename=f"{year}{name}.xlsx",
                             sheets=[Sheet(str(year), columns, hits)])
    audit_record(actor=user, action=events.CONSEQUENCES_EXPORT, obj=dept,
                 after={"year": year, "rows": response.row_counts[0]})
    return response


def results_export(user, query):
    """A closed plan's results from the page's query (in the request or as a job)."""
    plan = selectors.plan_get_for_user(user, query.get("plan"))
    return results_xlsx(user=user, plan=plan, rows=selectors.results(user=user, plan=plan))
