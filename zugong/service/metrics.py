"""The figures the service app offers to reports, regimes and the assessment (registry keys
``service.*``). Counts only: nothing the public said leaves the app through a figure."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zugong.core.metrics import Metric

from .models import (
    DELIVERED_STATES,
    SOLVED_STATES,
    DeedStatus,
    SendItem,
    VisitKind,
    month_first_contacts,
)

ITEMS = pgettext_lazy("service", "items")
ORDERS = pgettext_lazy("service", "orders")
TARGETS = pgettext_lazy("service", "targets")


@dataclass(frozen=True)
class MonthFirstContacts(Metric):
    """Households covered (issue 20 point 8), counted as household-months: each household
    a cadre contacted (on site or by phone) counts once in every month it was contacted,
    through that month's first contact (the one that fulfils the monthly rule). A count of
    records, so it adds up over people (a household is one cadre's) and over months; a
    span of months counts each household once per month, not once for the span."""

    def queryset(self) -> QuerySet:
        return month_first_contacts()

METRICS = [
    Metric(key="service.visits", label=_("service visits (三入三解)"), unit=_("visits"),
           model="service.Visit", date_field="on", records_view="service:visits"),
    *[Metric(key=f"service.visits_{kind}",
             label=format_lazy("{}: {}", _("service visits (三入三解)"), label),
             unit=_("visits"), model="service.Visit", date_field="on", filters={"kind": kind},
             records_view="service:visits", records_params={"kind": kind})
      for kind, label in VisitKind.choices],
    Metric(key="service.households_contacted", label=_("contacts with paired households"),
           unit=_("contacts"), model="service.Visit", date_field="on",
           filters={"kind": VisitKind.HOUSEHOLD}, records_view="service:visits",
           records_params={"kind": VisitKind.HOUSEHOLD}),
    MonthFirstContacts(
        key="service.households_covered",
        label=_("paired households covered (a month each)"),
        unit=pgettext_lazy("service", "household-months"), model="service.Visit",
        date_field="on",
        records_view="service:visits",
        records_params={"kind": VisitKind.HOUSEHOLD, "covered": "1"}),
    Metric(key="service.problems_raised", label=_("problems of the public taken up"),
           unit=_("problems"), model="service.Problem", date_field="on",
           records_view="service:problems"),
    Metric(key="service.problems_solved", label=_("problems solved for the public"),
           unit=_("problems"), model="service.Problem", date_field="solved_on",
           filters={"status__in": SOLVED_STATES}, records_view="service:problems",
           records_params={"status": "resolved"}),
    Metric(key="service.deliveries", label=_("五送 items delivered"), unit=ITEMS,
           model="service.Delivery", date_field="on", records_view="service:deliveries"),
    *[Metric(key=f"service.deliveries_{item}",
             label=format_lazy("{}: {}", _("五送 items delivered"), label), unit=ITEMS,
             model="service.Delivery", date_field="on", filters={"item": item},
             records_view="service:deliveries", records_params={"kind": item})
      for item, label in SendItem.choices],
    Metric(key="service.deeds_done", label=_("practical matters done (我为群众办实事)"),
           unit=ITEMS, model="service.Deed", date_field="done_on",
           filters={"status": DeedStatus.DONE}, records_view="service:deeds",
           records_params={"status": DeedStatus.DONE}),
    Metric(key="service.expert_orders_delivered",
           label=_("expert service orders delivered (点单式)"), unit=ORDERS,
           model="service.ExpertOrder", date_field="delivered_on",
           filters={"status__in": DELIVERED_STATES}, records_view="service:orders",
           records_params={"status": "completed"}),
    Metric(key="service.liaisons", label=_("六联六促 liaison targets"), unit=TARGETS,
           model="service.Liaison", date_field="on", records_view="service:liaisons"),
]
