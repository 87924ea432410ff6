"""The figures the ability app offers to regimes, assessment and reports (registry keys
``ability.*``), each per person and day like every metric.

A department's "person-times trained" is the sum of ``ability.lectures_attended`` over its
people; "lecturers" is the number of people with ``ability.lectures_given`` above zero.
"""

from django.utils.translation import gettext_lazy as _

from zugong.core.metrics import Aggregation, Metric

METRICS = [
    Metric(key="ability.lectures_given", label=_("lectures given"), unit=_("sessions"),
           model="ability.Seat", date_field="on", filters={"part": "lecturer"},
           records_view="ability:lectures", records_params={"part": "lecturer"}),
    Metric(key="ability.lectures_discussed", label=_("lectures discussed as a discussant"),
           unit=_("sessions"), model="ability.Seat", date_field="on",
           filters={"part": "discussant"}, records_view="ability:lectures",
           records_params={"part": "discussant"}),
    Metric(key="ability.lectures_attended", label=_("lectures attended (person-times trained)"),
           unit=_("person-times"), model="ability.Seat", date_field="on",
           filters={"part": "audience"}, records_view="ability:lectures",
           records_params={"part": "audience"}),
]
METRICS += [  # 青蓝工程 (M30)
    Metric(key="ability.mentoring_pairs", label=_("青蓝 pairs as mentor"), unit=_("pairs"),
           model="ability.Pair", date_field="started_on", person_field="mentor",
           records_view="ability:mentoring"),
    Metric(key="ability.mentoring_checkins", label=_("青蓝 check-ins as mentee"),
           unit=_("check-ins"), model="ability.CheckIn", date_field="on",
           person_field="pair__mentee", records_view="ability:mentoring"),
]
METRICS += [  # training and secondments (M29)
    Metric(key="ability.trainings", label=_("trainings and secondments taken part in"),
           unit=_("person-times"), model="ability.Trainee", date_field="on",
           records_view="ability:trainings"),
    Metric(key="ability.training_hours", label=_("training hours"), unit=_("hours"),
           model="ability.Trainee", date_field="on", aggregation=Aggregation.SUM,
           value_field="hours", decimals=1, records_view="ability:trainings"),
    Metric(key="ability.training_summaries", label=_("training summaries handed in"),
           unit=_("summaries"), model="ability.Trainee", date_field="on",
           filters={"writing_id__isnull": False}, records_view="ability:trainings"),
]
METRICS += [  # competitions (M37)
    Metric(key="ability.competitions", label=_("competitions entered"), unit=_("times"),
           model="ability.Entrant", date_field="on", records_view="ability:competitions"),
    Metric(key="ability.competition_awards", label=_("competition awards won"),
           unit=_("awards"), model="ability.Entrant", date_field="on",
           filters={"award__in": ("first", "second", "third", "merit")},
           records_view="ability:competitions"),
]
METRICS += [  # research topics (M23)
    Metric(key="ability.topics_completed", label=_("research topics completed"),
           unit=_("topics"), model="ability.TopicMember", date_field="topic__reported_on",
           filters={"topic__status__in": ("reported", "adopted")},
           records_view="ability:topics"),
    Metric(key="ability.topics_adopted", label=_("research reports adopted by the leaders"),
           unit=_("topics"), model="ability.TopicMember", date_field="topic__adopted_on",
           filters={"topic__status": "adopted"}, records_view="ability:topics"),
]
METRICS += [  # the lecture series' awards of each term (M07)
    Metric(key="ability.lecture_awards", label=_("lecture awards won"), unit=_("awards"),
           model="ability.LectureAward", date_field="on", records_view="ability:ranking"),
]
