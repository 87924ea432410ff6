"""The records list's rows, written by the ``record_rows`` tag (issue 23), show what the
template's loop showed: the same cells, labels, links, checkboxes and escaping."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from conftest import yesterday
from zugong.learning.models import (
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
