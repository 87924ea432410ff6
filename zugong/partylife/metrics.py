"""The figures Party life and rectification offer to reports, regimes and the assessment
(registry keys ``partylife.*`` and ``rectification.*``; the seeds' 100+ problems, 80+
criticisms, 120+ measures a year). Counts only: no minutes or criticism leaves the app."""

from django.db.models import F
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from zugong.core.metrics import Metric

from .models import MeetingKind

METRICS = [
    # Meetings held, counted for the member who chaired them.
    Metric(key="partylife.meetings", label=_("Party meetings chaired"), unit=_("meetings"),
           model="partylife.Meeting", person_field="chair", date_field="held_on",
           records_view="partylife:meetings"),
    *[Metric(key=f"partylife.meetings_{kind}",
             label=format_lazy("{}: {}", _("Party meetings chaired"), label),
             unit=_("meetings"), model="partylife.Meeting", person_field="chair",
             date_field="held_on", filters={"kind": kind}, records_view="partylife:meetings",
             records_params={"kind": kind})
      for kind, label in MeetingKind.choices],
    # Attendance: the rate is attended / (attended + absent) over the same people and days.
    Metric(key="partylife.attended", label=_("Party meetings attended (or made up)"),
           unit=_("meetings"), model="partylife.Attendance", date_field="on",
           filters={"status__in": ["present", "made_up"]}, records_view="partylife:meetings",
           records_params={"attendance": "attended"}),
    Metric(key="partylife.absent", label=_("Party meetings missed and not made up"),
           unit=_("meetings"), model="partylife.Attendance", date_field="on",
           filters={"status": "absent"}, records_view="partylife:meetings",
           records_params={"attendance": "absent"}),
    # Criticisms open the meetings they were made at, with counts only (never the text).
    Metric(key="partylife.criticisms", label=_("criticisms made"), unit=_("criticisms"),
           model="partylife.Criticism", date_field="on", records_view="partylife:meetings",
           records_params={"criticisms": "made"}),
    Metric(key="partylife.criticisms_received", label=_("criticisms received"),
           unit=_("criticisms"), model="partylife.Criticism", person_field="receiver",
           date_field="on", records_view="partylife:meetings",
           records_params={"criticisms": "received"}),
    Metric(key="rectification.problems", label=_("problems found"), unit=_("problems"),
           model="partylife.Problem", date_field="found_on",
           records_view="partylife:problems"),
    Metric(key="rectification.problems_self_found", label=_("problems found by oneself"),
           unit=_("problems"), model="partylife.Problem", date_field="found_on",
           filters={"self_found": True}, records_view="partylife:problems"),
    Metric(key="rectification.measures", label=_("rectification measures taken"),
           unit=_("measures"), model="partylife.RectMeasure", person_field="owner",
           date_field="set_on", records_view="partylife:measures"),
    Metric(key="rectification.measures_closed", label=_("rectification measures closed"),
           unit=_("measures"), model="partylife.RectMeasure", person_field="owner",
           date_field="closed_on", filters={"status": "closed"},
           records_view="partylife:measures", records_params={"status": "closed"}),
    Metric(key="rectification.measures_closed_on_time",
           label=_("rectification measures closed by their deadline"), unit=_("measures"),
           model="partylife.RectMeasure", person_field="owner", date_field="closed_on",
           filters={"status": "closed", "closed_on__lte": F("deadline")},
           records_view="partylife:measures", records_params={"status": "closed"}),
]
