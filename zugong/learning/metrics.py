"""The figures the learning records offer to regimes, assessment and reports."""

from django.utils.translation import gettext_lazy as _

from zugong.core.metrics import Aggregation, Metric

from .models import CITY_OR_ABOVE, OutletLevel, ReviewStatus, StudyForm, WritingKind

_REVIEWED = {
    "date_field": "on",
    "status_field": "status",
    "confirmed": (ReviewStatus.CONFIRMED,),
    "unconfirmed": (ReviewStatus.PENDING,),
    "records_view": "learning:records",
}


def _writing(key, label, kind, **extra):
    filters = {"kind": kind, **extra.pop("filters", {})}
    params = {"kind": "writing", "writing_kind": kind, **extra.pop("params", {})}
    return Metric(key=key, label=label, unit=_("items"), model="learning.Writing",
                  filters=filters, records_params=params, **_REVIEWED, **extra)


METRICS = [
    Metric(key="learning.study_hours", label=_("study hours"), unit=_("hours"),
           model="learning.StudySession", aggregation=Aggregation.SUM, value_field="hours",
           decimals=1, records_params={"kind": "study"}, **_REVIEWED),
    Metric(key="learning.first_topic_attendance", label=_("first-topic attendance"),
           unit=_("times"), model="learning.StudySession",
           filters={"form": StudyForm.FIRST_TOPIC},
           records_params={"kind": "study", "form": StudyForm.FIRST_TOPIC}, **_REVIEWED),
    Metric(key="learning.note_chars", label=_("note characters"), unit=_("characters"),
           model="learning.StudyNote", aggregation=Aggregation.SUM, value_field="char_count",
           records_params={"kind": "note"}, **_REVIEWED),
    Metric(key="learning.books", label=_("books read"), unit=_("books"),
           model="learning.BookRead", records_params={"kind": "book"}, **_REVIEWED),
    Metric(key="learning.books_listed", label=_("books read from the reading list"),
           unit=_("books"), model="learning.BookRead",
           filters={"reading_item__isnull": False},
           records_params={"kind": "book", "listed": "1"}, **_REVIEWED),
    _writing("learning.info_items", _("information items"), WritingKind.INFO),
    _writing("learning.articles", _("articles published"), WritingKind.ARTICLE),
    _writing("learning.articles_city_up", _("articles at city level or above"),
             WritingKind.ARTICLE, filters={"outlet_level__in": CITY_OR_ABOVE},
             params={"level": "city_up"}),
    *[
        _writing(f"learning.articles_{level}", label, WritingKind.ARTICLE,
                 filters={"outlet_level": level}, params={"level": level})
        for level, label in (
            (OutletLevel.NATIONAL, _("articles in national outlets")),
            (OutletLevel.PROVINCIAL, _("articles in provincial outlets")),
            (OutletLevel.PREFECTURAL, _("articles in prefectural outlets")),
            (OutletLevel.CITY, _("articles in city outlets")),
            (OutletLevel.COUNTY, _("articles in county outlets")),
        )
    ],
    _writing("learning.reflections", _("reflections"), WritingKind.REFLECTION),
    _writing("learning.research_reports", _("research reports"), WritingKind.RESEARCH),
]
