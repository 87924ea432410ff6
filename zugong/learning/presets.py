"""Regime presets from the seed documents; a department loads one and edits it.

The figures are the seeds' own (DOMAIN.md M03, M18, M23, M26); none is hard-coded
elsewhere: once loaded they are ordinary rules.
"""

from django.utils.translation import gettext_lazy as _

from zugong.core.periods import PeriodKind

PRESETS = {
    "luxi": {
        "name": _("Luxi 五个一 learning regime"),
        "source": "000 泸溪县",
        "rules": [
            {"metric": "learning.study_hours", "threshold": 1, "period": PeriodKind.DAY,
             "note": _("study 1 hour a day")},
            {"metric": "learning.books", "threshold": 1, "period": PeriodKind.MONTH,
             "note": _("read 1 book a month")},
            {"metric": "learning.info_items", "threshold": 1, "period": PeriodKind.MONTH,
             "note": _("write 1 information item a month")},
            {"metric": "learning.reflections", "threshold": 1, "period": PeriodKind.QUARTER,
             "note": _("write 1 reflection a quarter")},
            {"metric": "learning.research_reports", "threshold": 1,
             "period": PeriodKind.YEAR, "note": _("write 1 research report a year")},
        ],
    },
    "hanbin": {
        "name": _("Hanbin learning regime"),
        "source": "001 汉滨区",
        "rules": [
            {"metric": "learning.study_hours", "threshold": 1, "period": PeriodKind.DAY,
             "note": _("self-study 1 hour a day")},
            {"metric": "learning.note_chars", "threshold": 20000, "period": PeriodKind.YEAR,
             "note": _("at least 20,000 characters of study notes a year")},
            {"metric": "learning.articles_city_up", "threshold": 5, "period": PeriodKind.YEAR,
             "note": _("at least 5 articles a year in city-level or higher media")},
            {"metric": "learning.books_listed", "threshold": 1, "period": PeriodKind.MONTH,
             "note": _("one book a month from the recommended list")},
            {"metric": "learning.research_reports", "threshold": 1,
             "period": PeriodKind.YEAR, "note": _("at least 1 research article a year")},
        ],
    },
    "fenghuang": {
        "name": _("Fenghuang learning regime"),
        "source": "002 凤凰县",
        "rules": [
            {"metric": "learning.study_hours", "threshold": 5, "period": PeriodKind.MONTH,
             "note": _("at least 5 study hours a month")},
            {"metric": "learning.note_chars", "threshold": 10000, "period": PeriodKind.MONTH,
             "note": _("at least 10,000 characters of notes a month")},
            {"metric": "learning.reflections", "threshold": 10, "period": PeriodKind.YEAR,
             "note": _("at least 10 reflections a year")},
        ],
    },
}


def preset_choices():
    return [(key, preset["name"]) for key, preset in PRESETS.items()]
