"""The ``assessment.negative_notes`` hook supervision's early warning calls (issue 17,
point 6)."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from zugong.assessment.models import EverydayNote
from zugong.core.registry import hook

D = dt.date


def note(person, on, positive, source=""):
    return EverydayNote.objects.create(person=person, on=on, positive=positive,
                                       text="迟报材料", source=source)


def test_the_negative_notes_hook_lists_negative_notes_in_the_window_without_their_text(cast):
    negative_notes = hook("assessment.negative_notes")
    cadre, cadre2 = cast.people["cadre"], cast.people["cadre2"]
    note(cadre, D(2025, 3, 2), False, source="任务台账")
    note(cadre, D(2025, 4, 1), False)
    note(cadre, D(2025, 3, 5), True)  # positive: no signal
    note(cadre, D(2024, 12, 31), False)  # before the window
    note(cast.people["chief"], D(2025, 3, 2), False)  # not asked about
    with CaptureQueriesContext(connection) as queries:
        found = negative_notes([cadre.pk, cadre2.pk], D(2025, 1, 1), D(2025, 4, 1))
    assert len(queries) == 1
    url = f"/assessment/notes/?person={cadre.pk}"
    assert found == {cadre.pk: [("− 2025-04-01", url), ("− 2025-03-02 任务台账", url)]}
    assert "迟报" not in str(found)
