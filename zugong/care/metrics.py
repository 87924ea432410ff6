"""The figures care offers to reports, regimes and the assessment (keys ``care.*``).
Counts and sums only: no health or hardship content leaves the app through a figure."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zugong.core.metrics import Aggregation, Metric

METRICS = [
    Metric(key="care.activities_organized", label=_("care activities organized"),
           unit=_("activities"), model="care.Activity", person_field="organizer",
           date_field="held_on", records_view="care:activities",
           records_params={"role": "organizer"}),
    Metric(key="care.participations", label=_("care activities taken part in"),
           unit=_("person-times"), model="care.Participation", date_field="on",
           records_view="care:activities", records_params={"role": "participant"}),
    Metric(key="care.birthdays_marked", label=_("political birthdays marked"),
           unit=pgettext_lazy("care unit", "people"), model="care.BirthdayMark", date_field="on",
           records_view="care:birthdays"),
    Metric(key="care.leave_days", label=_("annual leave taken"), unit=_("days"),
           model="care.LeaveTaken", date_field="on", aggregation=Aggregation.SUM,
           value_field="days", decimals=1, records_view="care:leave"),
    Metric(key="care.recuperations", label=_("recuperation stays"), unit=_("stays"),
           model="care.HealthRecord", date_field="on", filters={"kind": "recuperation"}),
    Metric(key="care.hardships_supported", label=_("cadres in difficulty supported"),
           unit=_("records"), model="care.Hardship", date_field="on"),
]
