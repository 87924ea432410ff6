"""The figures talent offers to reports, regimes and the assessment (keys ``talent.*``).
Contacts and matters count per leader; reserve-pool movements per candidate."""

from django.utils.translation import gettext_lazy as _

from zugong.core.metrics import Metric

METRICS = [
    Metric(key="talent.contacts", label=_("contacts with talents"), unit=_("contacts"),
           model="talent.TalentContact", person_field="leader", date_field="on",
           records_view="talent:talents"),
    Metric(key="talent.matters_raised", label=_("talents' matters raised"),
           unit=_("matters"), model="talent.TalentMatter", person_field="leader",
           date_field="raised_on", records_view="talent:matters",
           records_params={"status": "raised"}),
    Metric(key="talent.matters_solved", label=_("talents' matters solved"),
           unit=_("matters"), model="talent.TalentMatter", person_field="leader",
           date_field="solved_on", filters={"solved_on__isnull": False},
           records_view="talent:matters", records_params={"status": "solved"}),
    Metric(key="talent.reserve_entered", label=_("entered into the reserve pool"),
           unit=_("candidates"), model="talent.ReserveCandidate", date_field="on",
           records_view="talent:team"),
    Metric(key="talent.reserve_accepted", label=_("reserve candidates taken into the team"),
           unit=_("candidates"), model="talent.ReserveCandidate", date_field="decided_on",
           filters={"decision": "accepted"}, records_view="talent:team",
           records_params={"decision": "accepted"}),
    Metric(key="talent.rotations", label=_("rotations carried out"), unit=_("rotations"),
           model="talent.Rotation", date_field="done_on",
           filters={"done_on__isnull": False}, records_view="talent:team"),
    Metric(key="talent.exits", label=_("exits from the team"), unit=_("people"),
           model="talent.Exit", date_field="on", records_view="talent:team"),
]

