"""``service.households_covered`` (issue 20 point 8, "households covered"): household-
months, i.e. each household a cadre contacted counts once in each month it was contacted,
through that month's first contact. Every figure below is computed by hand."""

import datetime as dt

from zugong.core.audit import SYSTEM
from zugong.core.metrics import get as metric
from zugong.service import selectors, services
from zugong.service.selectors import Filters

D = dt.date
KEY = "service.households_covered"


def _contacts(cast):
    """李小红: households H1 and H2; 王磊: H3. Village visits never count."""
    a, b = cast.people["cadre"], cast.people["cadre2"]
    h1, h2 = (services.household_create(by=SYSTEM, person=a, name=n, on=D(2026, 1, 1))
              for n in ("张大爷", "李大娘"))
    h3 = services.household_create(by=SYSTEM, person=b, name="龙奶奶", on=D(2026, 1, 1))
    village = services.point_create(by=SYSTEM, person=a, kind="village", name="白沙村",
                                    on=D(2026, 1, 1))
    contacts = [(a, h1, D(2026, 1, 5)), (a, h1, D(2026, 1, 20)), (a, h1, D(2026, 2, 3)),
                (a, h1, D(2026, 3, 31)),
                (a, h2, D(2026, 1, 31)), (a, h2, D(2026, 2, 1)), (a, h2, D(2026, 2, 28)),
                (a, h2, D(2026, 4, 2)),
                (b, h3, D(2026, 1, 10)), (b, h3, D(2026, 1, 10))]
    for person, household, on in contacts:
        services.visit_record(by=SYSTEM, person=person, kind="household", mode="phone",
                              household=household, on=on, heard="电话联系")
    for on in (D(2026, 1, 8), D(2026, 5, 8)):
        services.visit_record(by=SYSTEM, person=a, kind="village", point=village, on=on,
                              heard="走访")
    return a, b


def _value(people, start, end, by=None):
    return {k: int(v) for k, v in metric(KEY).totals(people=[p.pk for p in people],
                                                     start=start, end=end, by=by).items()}


def test_each_household_counts_once_in_each_month_it_was_contacted(cast):
    a, b = _contacts(cast)
    # 李小红: January H1 and H2 (H1 twice: once), February H1 and H2 (H2 twice: once),
    # March H1, April H2: 2 + 2 + 1 + 1. 王磊: H3 twice on 10 January: 1.
    assert _value([a], D(2026, 1, 1), D(2026, 12, 31), by="month") == {
        (a.pk, "2026-01"): 2, (a.pk, "2026-02"): 2, (a.pk, "2026-03"): 1,
        (a.pk, "2026-04"): 1}
    assert _value([a, b], D(2026, 1, 1), D(2026, 3, 31)) == {(a.pk, None): 5, (b.pk, None): 1}
    # The contacts themselves: 李小红 made 7 in the first quarter, 王磊 2.
    contacted = metric("service.households_contacted").totals(
        people=[a.pk, b.pk], start=D(2026, 1, 1), end=D(2026, 3, 31))
    assert {k: int(v) for k, v in contacted.items()} == {(a.pk, None): 7, (b.pk, None): 2}


def test_it_adds_up_over_people_and_over_periods(cast):
    a, b = _contacts(cast)
    year = (D(2026, 1, 1), D(2026, 12, 31))
    by_quarter = _value([a, b], *year, by="quarter")
    assert by_quarter == {(a.pk, "2026-Q1"): 5, (a.pk, "2026-Q2"): 1, (b.pk, "2026-Q1"): 1}
    whole = _value([a, b], *year)
    assert whole == {(a.pk, None): 6, (b.pk, None): 1}
    # January and February together are January plus February.
    assert _value([a], D(2026, 1, 1), D(2026, 2, 28)) == {(a.pk, None): 4}
    # A span that starts in the middle of a month counts a household there only if its
    # first contact of that month falls in the span: from 15 January, H2 (31 January) counts
    # and H1 (first on 5 January) does not.
    assert _value([a], D(2026, 1, 15), D(2026, 1, 31)) == {(a.pk, None): 1}


def test_with_the_default_rule_it_equals_the_household_months_met(cast):
    a, _b = _contacts(cast)
    row = selectors.coverage_for([a], rules=selectors.rules_of(cast.dept), year=2026,
                                 as_of=D(2026, 4, 15))[0]
    # Judged January to March, two households: 6 due; met Jan H1 H2, Feb H1 H2, Mar H1.
    assert (row.households.due, row.households.met) == (6, 5)
    assert _value([a], D(2026, 1, 1), D(2026, 3, 31)) == {(a.pk, None): row.households.met}


def test_its_records_are_the_first_contact_of_each_household_each_month(cast, client):
    a, b = _contacts(cast)
    listed = selectors.visit_list(user=cast["head"], filters=Filters(
        kind="household", covered="1", start=D(2026, 1, 1), end=D(2026, 3, 31)))
    assert sorted((v.person.name, v.household.name, v.on) for v in listed) == [
        ("李小红", "张大爷", D(2026, 1, 5)), ("李小红", "张大爷", D(2026, 2, 3)),
        ("李小红", "张大爷", D(2026, 3, 31)), ("李小红", "李大娘", D(2026, 1, 31)),
        ("李小红", "李大娘", D(2026, 2, 1)), ("王磊", "龙奶奶", D(2026, 1, 10))]
    url = metric(KEY).records_url(start=D(2026, 1, 1), end=D(2026, 3, 31),
                                  unit=cast.sec_org.pk)
    assert "covered=1" in url and "kind=household" in url
    client.force_login(cast["head"])
    page = client.get(url)
    assert page.status_code == 200 and 'id="covered-filter"' in page.content.decode()
    assert len(page.context["rows"]) == 5
