"""The figures supervision offers to reports and the assessment (registry keys
``supervision.*``). Counts only: no content leaves the app through a figure."""

from django.db.models import F
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from zugong.core.metrics import Metric

from .models import Conclusion, MeasureKind, ReportKind

METRICS = [
    Metric(key="supervision.measures", label=_("supervision measures taken"),
           unit=_("measures"), model="supervision.Measure", date_field="on",
           records_view="supervision:measures"),
    *[Metric(key=f"supervision.measures_{kind}",
             label=format_lazy("{}: {}", _("supervision measures taken"), label),
             unit=_("measures"), model="supervision.Measure", date_field="on",
             filters={"kind": kind}, records_view="supervision:measures",
             records_params={"kind": kind})
      for kind, label in MeasureKind.choices],
    Metric(key="supervision.reports_filed", label=_("personal-matter reports filed"),
           unit=_("reports"), model="supervision.PersonalReport", date_field="on",
           records_view="supervision:reports"),
    Metric(key="supervision.reports_annual_on_time",
           label=_("yearly personal-matter reports filed by 31 January"),
           unit=_("reports"), model="supervision.PersonalReport", date_field="on",
           filters={"kind": ReportKind.ANNUAL, "on__year": F("year"), "on__month": 1},
           records_view="supervision:reports"),
    Metric(key="supervision.commitments_signed", label=_("integrity commitments signed"),
           unit=_("commitments"), model="supervision.Commitment", date_field="on",
           records_view="supervision:integrity_overview"),
    Metric(key="supervision.package_items_done",
           label=_("integrity package (六个一) items done"), unit=_("items"),
           model="supervision.PackageDone", date_field="on",
           records_view="supervision:integrity_overview"),
    Metric(key="supervision.selfchecks_found", label=_("risk self-check items found"),
           unit=_("items"), model="supervision.SelfCheck", date_field="on",
           records_view="supervision:integrity_overview"),
    Metric(key="supervision.selfchecks_closed", label=_("risk self-check items closed"),
           unit=_("items"), model="supervision.SelfCheck", date_field="closed_on",
           records_view="supervision:integrity_overview"),
    Metric(key="supervision.family_ratings_model",
           label=_("families rated model integrity families (清廉家庭示范)"),
           unit=_("families"), model="supervision.FamilyRating", date_field="on",
           filters={"level": "model"}, records_view="supervision:ratings"),
    Metric(key="supervision.study_participations",
           label=_("discipline-study sessions taken part in"), unit=_("sessions"),
           model="supervision.StudyActivity", date_field="on",
           person_field="participants__id", records_view="supervision:studies"),
    Metric(key="supervision.leads_received", label=_("supervision leads received"),
           unit=_("leads"), model="supervision.Lead", date_field="on",
           records_view="supervision:leads"),
    Metric(key="supervision.leads_closed", label=_("supervision leads closed"),
           unit=_("leads"), model="supervision.Lead", date_field="closed_on",
           filters={"status": "closed"}, records_view="supervision:leads",
           records_params={"status": "closed"}),
    *[Metric(key=f"supervision.leads_{value}",
             label=format_lazy("{}: {}", _("supervision leads closed"), label),
             unit=_("leads"), model="supervision.Lead", date_field="closed_on",
             filters={"status": "closed", "conclusion": value},
             records_view="supervision:leads", records_params={"status": "closed"})
      for value, label in Conclusion.choices],
    Metric(key="supervision.observations", label=_("supervision observations recorded"),
           unit=_("observations"), model="supervision.Observation", date_field="on",
           records_view="supervision:observations"),
]
