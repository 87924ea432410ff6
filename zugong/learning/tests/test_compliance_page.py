"""This month's compliance (issue 16, point 4): the page opens on the current month, its
counts lead to the people behind them, and periods before the regime are blank."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from zugong.core.periods import Period, PeriodKind
from zugong.learning import services
from zugong.learning.templatetags import learning as tags


def _page(client, **params):
    response = client.get(reverse("learning:compliance"), params)
    assert response.status_code == 200
    return response


def test_the_page_opens_on_this_month_and_offers_quarter_and_year(cast, client_for):
    services.regime_create(by=cast["head"], department=cast.dept, name="", preset="luxi",
                           valid_from=timezone.localdate().replace(month=1, day=1))
    today = timezone.localdate()
    response = _page(client_for(cast["head"]), dept=cast.dept.pk)
    assert response.context["window"] == Period.containing(PeriodKind.MONTH, today)
    assert [w.key for w in response.context["window_choices"]] == [
        Period.containing(kind, today).key
        for kind in (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR)]
    body = response.content.decode()
    assert 'id="window-picker"' in body and 'id="matrix-current"' in body
    quarter = Period.containing(PeriodKind.QUARTER, today)
    assert _page(client_for(cast["head"]), dept=cast.dept.pk,
                 window=quarter.key).context["window"] == quarter


def test_periods_before_the_regime_began_are_blank(cast, client_for):
    services.regime_create(by=cast["head"], department=cast.dept, name="", preset="luxi",
                           valid_from=dt.date(2026, 3, 1))
    response = _page(client_for(cast["head"]), dept=cast.dept.pk, window="2026-02")
    assert all(sm is None for _s, sm in response.context["summary"])
    assert "制度尚未开始" in response.content.decode()
    # In the year's matrix, January and February are empty cells, March on is judged.
    for _subject, cells in response.context["matrix_rows"]:
        assert cells[0] is None and cells[1] is None and cells[2] is not None
    assert response.context["chart"]["series"][0]["data"][:2] == [None, None]


def test_the_counts_link_to_the_people_behind_them_and_names_to_the_person(cast, client_for):
    services.regime_create(by=cast["head"], department=cast.dept, name="", preset="luxi",
                           valid_from=dt.date(2026, 1, 1))
    client = client_for(cast["head"])
    whole = _page(client, dept=cast.dept.pk, window="2026-03")
    body = whole.content.decode()
    assert "window=2026-03&amp;rule=1&amp;status=missed" in body
    everyone = {s.pk for s, _cells in whole.context["matrix_rows"]}
    assert f'href="{reverse("people:detail", args=[cast.people["cadre"].pk])}"' in body
    # Nobody studied in March 2026: all of them missed rule 1, nobody met it.
    missed = _page(client, dept=cast.dept.pk, window="2026-03", rule=1, status="missed")
    assert {s.pk for s, _cells in missed.context["matrix_rows"]} == everyone
    assert _page(client, dept=cast.dept.pk, window="2026-03", rule=1,
                 status="met").context["matrix_rows"] == []


def test_rules_show_their_unit(cast, client_for):
    services.regime_create(by=cast["head"], department=cast.dept, name="", preset="luxi",
                           valid_from=dt.date(2026, 1, 1))
    response = _page(client_for(cast["head"]), dept=cast.dept.pk, window="2026")
    series = response.context["series"][0]
    row = response.content.decode().split('id="summary-table"')[1].split("</tr>")[1]
    assert f" {series.metric.unit} / " in row


def test_a_new_regime_starts_on_the_first_day_of_this_month(cast, client_for):
    response = client_for(cast["head"]).get(reverse("learning:regime"), {"dept": cast.dept.pk})
    assert response.context["create_form"].initial["valid_from"] == \
        timezone.localdate().replace(day=1)


def test_a_quarterly_or_yearly_rule_seen_by_the_month_shows_its_own_period(cast, client_for):
    # 泸溪 五个一: rule 4 (reflections) is judged per quarter, rule 5 per year. Seen by the
    # month, each is judged over the quarter or year holding this month, never "0/0".
    services.regime_create(by=cast["head"], department=cast.dept, name="", preset="luxi",
                           valid_from=timezone.localdate().replace(month=1, day=1))
    response = _page(client_for(cast["head"]), dept=cast.dept.pk)
    summary = {s.number: sm for s, sm in response.context["summary"]}
    # The department's 7 organization cadres (head, deputy, chief, two cadres, the
    # supervision officer and the assessor) are held to both rules.
    assert summary[4]["held"] == 7 and summary[5]["held"] == 7
    body = response.content.decode()
    for number, period in ((4, "季度"), (5, "年度")):
        row = body.split(f'<td data-label="规则">{number}. ')[1].split("</tr>")[0]
        assert f"/ {period}</td>" in row and "0 / 0 " not in row
    assert "0/0" not in body


def test_the_regime_page_gives_each_rule_its_unit_and_the_new_rule_asks_to_choose(cast,
                                                                                  client_for):
    services.regime_create(by=cast["head"], department=cast.dept, name="", preset="luxi",
                           valid_from=timezone.localdate().replace(month=1, day=1))
    response = client_for(cast["head"]).get(reverse("learning:regime"), {"dept": cast.dept.pk})
    body = " ".join(response.content.decode().split())
    assert "≥ <strong>1</strong> 学时 / 日" in body
    assert "≥ <strong>1</strong> 本 / 月" in body
    metric = response.context["rule_form"]["metric"]
    assert metric.field.choices[0] == ("", "请选择")


def test_each_cell_of_the_matrix_links_to_the_records_behind_its_figure(cast, client_for):
    services.regime_create(by=cast["head"], department=cast.dept, name="", preset="luxi",
                           valid_from=dt.date(2026, 1, 1))
    response = _page(client_for(cast["head"]), dept=cast.dept.pk, window="2026-03")
    result, chosen = response.context["result"], response.context["chosen"]
    body = response.content.decode()
    shown = 0
    for subject, cells in response.context["matrix_rows"]:
        judged = {c.url: c for (pk, number, _w), c in result.cells.items()
                  if pk == subject.pk and number == chosen.number}
        for shown_cell in filter(None, cells):
            cell = judged[shown_cell.url]  # the link is the cell's own (Cell.url)
            assert shown_cell.status == cell.status
            assert shown_cell.css == f"table-{tags.status_css(cell.status)}"
            assert shown_cell.text == f"{tags.number(cell.actual)}/{tags.number(cell.target)}"
            assert f'href="{escape(cell.url)}"' in body
            shown += 1
    assert shown
