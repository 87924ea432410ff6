"""The figures the service app offers to reports, regimes and the assessment (registry keys
``service.*``). Counts only: nothing the public said leaves the app through a figure."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zugong.core.metrics import Metric

from .models import DELIVERED_STATES, SOLVED_STATES, DeedStatus, SendItem, VisitKind

ITEMS = pgettext_lazy("service", "items")
ORDERS = pgettext_lazy("service", "orders")
TARGETS = pgettext_lazy("service", "targets")

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
    Metric(key="service.problems_raised", label=_("problems of the public taken up"),
           unit=_("problems"), model="service.Problem", date_field="on",
           records_view="service:problems"),
    Metric(key="service.problems_solved", label=_("problems solved for the public"),
           unit=_("problems"), model="service.Problem", date_field="solved_on",
           filters={"status__in": SOLVED_STATES}, records_view="service:problems",
           records_params={"status": "solved"}),
    Metric(key="service.deliveries", label=_("五送 items delivered"), unit=ITEMS,
           model="service.Delivery", date_field="on", records_view="service:deliveries"),
    *[Metric(key=f"service.deliveries_{item}",
             label=format_lazy("{}: {}", _("五送 items delivered"), label), unit=ITEMS,
             model="service.Delivery", date_field="on", filters={"item": item},
             records_view="service:deliveries")
      for item, label in SendItem.choices],
    Metric(key="service.deeds_done", label=_("practical matters done (我为群众办实事)"),
           unit=ITEMS, model="service.Deed", date_field="done_on",
           filters={"status": DeedStatus.DONE}, records_view="service:deeds"),
    Metric(key="service.expert_orders_delivered",
           label=_("expert service orders delivered (点单式)"), unit=ORDERS,
           model="service.ExpertOrder", date_field="delivered_on",
           filters={"status__in": DELIVERED_STATES}, records_view="service:orders",
           records_params={"status": "delivered"}),
    Metric(key="service.liaisons", label=_("六联六促 liaison targets"), unit=TARGETS,
           model="service.Liaison", date_field="on", records_view="service:liaisons"),
]
