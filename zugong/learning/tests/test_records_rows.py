"""The records list's rows, written by the ``record_rows`` tag (issue 23), show what the
template's loop showed: the same cells, labels, links, checkboxes and escaping."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from conftest import yesterday
from zugong.learning.models import (
    BookRead,
    ReviewStatus,
    StudyNote,
    StudySession,
    Writing,
    WritingKind,
)

# The loop the tag replaced, as it stood in learning/records.html (kept beside this file).
LOOP = Template((Path(__file__).parent / "records_loop.html").read_text())


def _squeeze(text: str) -> str:
    # Whitespace around table rows and cells is not shown; between inline elements (a
    # link and the note after it) it is a visible space, and must stay.
    text = re.sub(r"\s*(</?t[rd][^>]*>)\s*", r"\1", re.sub(r"\s+", " ", text))
    return text.strip()


def _tbody(content: str) -> str:
    return content.split('<table class="table zg-table" id="records-table">')[1].split(
        "<tbody>")[1].split("</tbody>")[0]


@pytest.mark.parametrize("kind", ["study", "note", "writing"])
def test_the_rows_are_the_loops_rows_for_every_kind_with_checkboxes_and_reasons(
        cast, client_for, kind):
    cadre, other = cast.people["cadre"], cast.people["chief"]
    make = {
        "study": lambda p, status, **kw: StudySession.objects.create(
            person=p, on=yesterday(), hours=Decimal(1), topic="<b>自学</b>", status=status, **kw),
        "note": lambda p, status, **kw: StudyNote.objects.create(
            person=p, on=yesterday(), title="笔记 & 心得", char_count=12500, status=status,
            **kw),
        "writing": lambda p, status, **kw: Writing.objects.create(
            person=p, on=yesterday(), title="文章<i>", kind=WritingKind.ARTICLE,
            outlet_level="national" if status == ReviewStatus.CONFIRMED else "",
            status=status, **kw),
    }[kind]
    make(cadre, ReviewStatus.PENDING)
    make(cadre, ReviewStatus.CONFIRMED)
    make(other, ReviewStatus.RETURNED, return_reason="时长<不符>")
    with translation.override("zh-hans"):
        response = client_for(cast["chief"]).get(reverse("learning:records"), {"kind": kind})
        assert response.status_code == 200
        context = response.context
        assert len(context["rows"]) == 3 and context["reviewable"]
        expected = LOOP.render(Context({k: context[k]
                                        for k in ("rows", "reviewable", "filters")}))
    shown = _tbody(response.content.decode())
    assert _squeeze(shown) == _squeeze(expected)
    # Text from the records is escaped, never markup.
    assert "<b>" not in shown and "<i>" not in shown and "<不符>" not in shown
    assert 'type="checkbox"' in shown and "时长&lt;不符&gt;" in shown


def test_a_list_without_the_review_column_has_no_empty_cells(cast, client_for):
    StudySession.objects.create(person=cast.people["cadre"], on=yesterday(), hours=Decimal(1),
                                topic="自学", status=ReviewStatus.CONFIRMED)
    response = client_for(cast["cadre"]).get(reverse("learning:records"))
    assert not response.context["reviewable"]
    shown = _tbody(response.content.decode())
    assert "<tr><td data-label=" in _squeeze(shown) and "zg-pick" not in shown


# Per kind: its table, a record named by its number, and a column the list never shows.
_KINDS = {
    "study": ("studysession", lambda p, i: StudySession.objects.create(
        person=p, on=yesterday(), hours=Decimal(1), topic=f"自学第{i}次", materials="材料全文"),
        '"materials"'),
    "note": ("studynote", lambda p, i: StudyNote.objects.create(
        person=p, on=yesterday(), title=f"笔记第{i}次", char_count=800, text="笔记全文"),
        '"text"'),
    "book": ("bookread", lambda p, i: BookRead.objects.create(
        person=p, on=yesterday(), title=f"读书第{i}次", summary="读后感全文"), '"summary"'),
    "writing": ("writing", lambda p, i: Writing.objects.create(
        person=p, on=yesterday(), title=f"文章第{i}次", kind=WritingKind.ARTICLE,
        text="全文"), '"text"'),
}


@pytest.mark.parametrize("kind", sorted(_KINDS))
def test_the_list_reads_only_the_columns_it_shows_and_no_more_per_row(cast, client_for, kind):
    """The rows' query names only the columns the list shows (issue 23: every column of
    the record, the person and the unit took half of the list's CPU), and nothing left
    unread is fetched row by row afterwards."""
    table, make, unshown = _KINDS[kind]
    people = [cast.people["cadre"], cast.people["chief"]]
    client = client_for(cast["chief"])

    def page():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("learning:records"), {"kind": kind})
        assert response.status_code == 200
        listed = [q["sql"] for q in ctx.captured_queries
                  if f'FROM "learning_{table}"' in q["sql"] and "LIMIT" in q["sql"]]
        return response.content.decode(), len(ctx.captured_queries), listed

    for i in range(2):
        make(people[i % 2], i)
    page()  # the session's and the caches' first reads
    _content, few, _listed = page()
    for i in range(2, 8):
        make(people[i % 2], i)
    content, many, listed = page()
    assert many == few
    assert len(listed) == 1
    assert unshown not in listed[0]
    assert '"people_person"."birth_date"' not in listed[0]
    assert '"people_orgunit"."code"' not in listed[0]
    assert all(f"第{i}次" in content for i in range(8))
    assert cast.people["chief"].name in content and cast.people["cadre"].unit.name in content
