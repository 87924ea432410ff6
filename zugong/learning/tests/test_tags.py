"""The learning tags write HTML themselves (issue 23): each value is escaped exactly as
``format_html`` escapes it, safe text included, and the matrix's cells are what
``format_html`` wrote before."""

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from zugong.learning.templatetags.learning import _esc, matrix_cells
from zugong.learning.views.regime import _MatrixCell

TRICKY = ["<b>干部</b>", 'a"b', "a'b", "R&D", 12, 2.5, None, mark_safe("<i>已转义</i>"),  # noqa: S308
          gettext_lazy("Met"), "", "一 · 二"]


def test_each_value_is_escaped_as_format_html_escapes_it():
    with override("zh-hans"):
        for value in TRICKY:
            assert _esc(value) == format_html("{}", value), value


def test_the_matrix_cells_are_what_format_html_wrote():
    cells = [_MatrixCell("table-success", "met", "/learning/records/?person=1&kind=study",
                         gettext_lazy("Met"), "3/2"),
             None,
             _MatrixCell('x" onmouseover="y', "<s>", "/a?b=<c>&d='e'", "<标题>", "1&2")]
    with override("zh-hans"):
        expected = "".join(
            format_html('<td class="{}" data-status="{}"><a href="{}" title="{}">{}</a></td>',
                        c.css, c.status, c.url, c.title, c.text) if c
            else '<td class="" data-status=""></td>' for c in cells)
        assert matrix_cells(cells) == expected
    assert 'onmouseover="y' not in expected and "&lt;s&gt;" in expected
