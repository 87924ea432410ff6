"""Rules a department would dispute (issue 15): working days, regimes that keep their
periods, edits that go back for review, and the compliance metric per period.

Every expected figure is worked out by hand in the comment beside it.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from zugong.core import metrics
from zugong.core.memo import bump
from zugong.core.periods import Period
from zugong.learning import events, selectors, services, summaries
from zugong.learning.compliance import Status, evaluate, people_under
from zugong.learning.metrics import ComplianceShare
from zugong.learning.models import (
    BookRead,
    CalendarDay,
    DayBasis,
    ReviewStatus,
    StudySession,
    Writing,
    WritingKind,
)
from zugong.people.models import Person

D = dt.date
YEAR_2025 = Period.parse("2025")


def run(regime, window, today):
    # The tests write records with the ORM, around the services that keep the summaries.
    summaries.rebuild()
    return evaluate(regime=regime, people=people_under(regime, Person.objects.all()),
                    windows=[window], today=today)


# ---------------------------------------------------------------- 10. working days


def test_one_hour_a_day_asks_the_official_working_days_of_2025(cast):
    luxi = services.regime_create(by=cast["head"], department=cast.dept, name="",
                                  preset="luxi", valid_from=D(2025, 1, 1))
    cadre = cast.people["cadre"]
    # 2025 (国办发明电〔2024〕12号): 365 days from a Wednesday = 261 weekdays; holidays on
    # weekdays: 1 Jan; 28, 29, 30, 31 Jan, 3, 4 Feb; 4 Apr; 1, 2, 5 May; 2 Jun; 1, 2, 3,
    # 6, 7, 8 Oct = 18; weekend working days 26 Jan, 8 Feb, 27 Apr, 28 Sep, 11 Oct = 5.
    # 261 − 18 + 5 = 248 working days → 248 hours (today's code asked 365).
    cell = run(luxi, YEAR_2025, D(2026, 1, 10)).cell(cadre.pk, 1, YEAR_2025)
    assert cell.target == Decimal("248.0")
    # Calendar days stay an option of the rule: 365 hours.
    luxi.rules.filter(series=1).update(days=DayBasis.CALENDAR)
    bump(events.RULES_SCOPE)  # a write around the services, which would bump it
    cell = run(luxi, YEAR_2025, D(2026, 1, 10)).cell(cadre.pk, 1, YEAR_2025)
    assert cell.target == Decimal("365.0")


def test_a_year_the_package_does_not_cover_uses_weekdays_and_the_editable_table(cast):
    regime = services.regime_create(by=cast["head"], department=cast.dept, name="",
                                    preset="luxi", valid_from=D(2030, 1, 1))
    jan = Period.parse("2030-01")
    cadre = cast.people["cadre"]
    # January 2030 begins on a Tuesday: weekends 5, 6, 12, 13, 19, 20, 26, 27 → 23
    # weekdays. Entering 1 January as a holiday and Saturday 5 January as an adjusted
    # working day: 23 − 1 + 1 = 23; and 2 January as a holiday too: 22.
    assert run(regime, jan, D(2030, 2, 5)).cell(cadre.pk, 1, jan).target == Decimal("23.0")
    CalendarDay.objects.create(day=D(2030, 1, 1), is_workday=False, note="元旦")
    CalendarDay.objects.create(day=D(2030, 1, 5), is_workday=True, note="调休上班")
    CalendarDay.objects.create(day=D(2030, 1, 2), is_workday=False, note="元旦调休")
    bump(events.RULES_SCOPE)  # written around calendar_day_set, which would bump it
    assert run(regime, jan, D(2030, 2, 5)).cell(cadre.pk, 1, jan).target == Decimal("22.0")


def test_the_regime_manager_keeps_the_calendar_table_and_a_cadre_may_not(cast, client_for):
    url = reverse("learning:calendar")
    head = client_for(cast["head"])
    assert head.get(url).status_code == 200
    response = head.post(url, {"day": "2030-01-01", "is_workday": "", "note": "元旦"})
    assert response.status_code == 302
    assert CalendarDay.objects.get(day=D(2030, 1, 1)).is_workday is False
    # The same day again replaces the entry rather than failing.
    head.post(url, {"day": "2030-01-01", "is_workday": "on", "note": "改为上班"})
    assert CalendarDay.objects.get(day=D(2030, 1, 1)).is_workday is True
    with translation.override("zh-hans"):
        bad = head.post(url, {"day": "不是日期", "note": ""}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert bad.status_code == 422
    assert client_for(cast["cadre"]).post(url, {"day": "2030-01-02"}).status_code == 403


# ---------------------------------------------------------------- 12. regimes keep periods


def test_a_new_regime_keeps_the_old_one_for_the_months_it_governed(cast, client_for):
    luxi = services.regime_create(by=cast["head"], department=cast.dept, name="",
                                  preset="luxi", valid_from=D(2025, 1, 1))
    fenghuang = services.regime_create(by=cast["head"], department=cast.dept, name="",
                                       preset="fenghuang", valid_from=D(2025, 7, 1))
    luxi.refresh_from_db()
    assert (luxi.valid_from, luxi.valid_to) == (D(2025, 1, 1), D(2025, 6, 30))
    today = D(2025, 12, 1)
    march, september = Period.parse("2025-03"), Period.parse("2025-09")
    cadre = cast.people["cadre"]
    assert selectors.regime_for_window(cast.dept, march, today) == luxi
    assert selectors.regime_for_window(cast.dept, september, today) == fenghuang
    # March under 泸溪: 1 hour a working day, March 2025 has no holiday: 31 − 10 weekend
    # days = 21 hours; 1 book a month.
    result = selectors.department_compliance(user=cast["head"], regime=luxi,
                                             windows=[march], today=today)
    assert [s.current.metric for s in result.series] == [
        "learning.study_hours", "learning.books", "learning.info_items",
        "learning.reflections", "learning.research_reports"]
    assert result.cell(cadre.pk, 1, march).target == Decimal("21.0")
    assert result.cell(cadre.pk, 2, march).target == 1
    # September under 凤凰: 5 hours a month; 泸溪's rules no longer hold there.
    result = selectors.department_compliance(user=cast["head"], regime=fenghuang,
                                             windows=[september], today=today)
    assert result.cell(cadre.pk, 1, september).target == Decimal("5.0")
    assert run(luxi, september, today).cell(cadre.pk, 1, september).status == \
        Status.NOT_APPLICABLE
    # 凤凰 does not reach back into March either.
    assert run(fenghuang, march, today).cell(cadre.pk, 1, march).status == \
        Status.NOT_APPLICABLE
    # The page: 2025 lists both regimes, and 泸溪's rules can be shown.
    client = client_for(cast["head"])
    page = client.get(reverse("learning:compliance"),
                      {"dept": cast.dept.pk, "year": 2025, "regime": luxi.pk})
    body = page.content.decode()
    assert page.status_code == 200 and "regime-picker" in body
    assert page.context["regime"] == luxi


# ---------------------------------------------------------------- 13. edits go back


def test_a_reviewers_edit_goes_back_for_someone_else_to_confirm(cast, client_for):
    cadre = cast.people["cadre"]
    record = services.record_create(by=cast["cadre"], kind="study", person=cadre,
                                    data={"on": D(2026, 3, 2), "hours": 1, "topic": "自学"})
    services.record_review(by=cast["chief"], records=[record], confirm=True)
    record.refresh_from_db()
    services.record_update(by=cast["chief"], record=record, version=record.version,
                           data={"hours": Decimal(3)})
    record.refresh_from_db()
    assert (record.status, record.hours, record.edited_by) == (
        ReviewStatus.PENDING, Decimal(3), cast["chief"])
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        services.record_review(by=cast["chief"], records=[record], confirm=True)
    with translation.override("zh-hans"):
        assert "其他人" in " ".join(refused.value.messages)
    record.refresh_from_db()
    assert record.status == ReviewStatus.PENDING
    # The editor sees no confirm button; another reviewer does, and confirms.
    url = reverse("learning:record", args=["study", record.pk])
    assert 'id="confirm-record"' not in client_for(cast["chief"]).get(url).content.decode()
    assert 'id="confirm-record"' in client_for(cast["head"]).get(url).content.decode()
    services.record_review(by=cast["head"], records=[record], confirm=True)
    record.refresh_from_db()
    assert (record.status, record.reviewed_by) == (ReviewStatus.CONFIRMED, cast["head"])


# ---------------------------------------------------------------- 15. metric per period


def test_the_compliance_metric_gives_a_value_per_period_when_asked_by(cast):
    services.regime_create(by=cast["head"], department=cast.dept, name="", preset="luxi",
                           valid_from=D(2025, 1, 1))
    cadre = cast.people["cadre"]
    StudySession.objects.bulk_create([
        StudySession(person=cadre, on=D(2025, 1, 1) + dt.timedelta(days=i), hours=1,
                     topic="自学", status=ReviewStatus.CONFIRMED) for i in range(31)])
    BookRead.objects.create(person=cadre, on=D(2025, 1, 20), title="书",
                            status=ReviewStatus.CONFIRMED)
    Writing.objects.create(person=cadre, on=D(2025, 2, 10), kind=WritingKind.REFLECTION,
                           title="心得", text="心得", status=ReviewStatus.CONFIRMED)
    summaries.rebuild()  # the records above went in around the services
    metric = metrics.get("assessment.learning_compliance")
    assert isinstance(metric, ComplianceShare)
    # January (5 rules): hours 31 ≥ 19 met, book met, no information item, the Q1
    # reflection (written 10 Feb) met, the 2025 report missing → 3/5 = 60 %.
    # February: hours 0 < 19, no book, no item, reflection met, no report → 1/5 = 20 %.
    by_month = metric.totals(people=[cadre.pk], start=D(2025, 1, 1), end=D(2025, 2, 28),
                             by="month")
    assert by_month == {(cadre.pk, "2025-01"): Decimal("60.0"),
                        (cadre.pk, "2025-02"): Decimal("20.0")}
    # Without by: the two months together, 4 of 10 → 40 %.
    assert metric.totals(people=[cadre.pk], start=D(2025, 1, 1), end=D(2025, 2, 28)) == {
        (cadre.pk, None): Decimal("40.0")}


def test_calendar_days_are_an_option_of_a_rule_kept_across_its_versions(cast):
    regime = services.regime_create(by=cast["head"], department=cast.dept, name="制度",
                                    valid_from=D(2025, 1, 1))
    rule = services.rule_add(by=cast["head"], regime=regime, metric="learning.study_hours",
                             threshold=1, period="day", valid_from=D(2025, 1, 1),
                             categories=["org_cadre"], days=DayBasis.CALENDAR)
    new = services.rule_change(by=cast["head"], rule=rule, effective=D(2025, 7, 1),
                               threshold=2)
    assert new.days == DayBasis.CALENDAR
    # 181 days × 1 h + 184 days × 2 h = 549 h on calendar days.
    cell = run(regime, YEAR_2025, D(2026, 1, 10)).cell(cast.people["cadre"].pk, 1, YEAR_2025)
    assert cell.target == Decimal("549.0")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as bad:
        services.rule_add(by=cast["head"], regime=regime, metric="learning.study_hours",
                          threshold=1, period="day", valid_from=D(2025, 1, 1), days="lunar")
    with translation.override("zh-hans"):
        assert "工作日" in " ".join(bad.value.messages)


def test_the_rules_and_calendar_are_read_once_until_a_service_changes_them(cast):
    """Every progress page judges against the rules: they are kept between readers
    (core.memo) and read again as soon as a rule or a calendar day changes."""
    luxi = services.regime_create(by=cast["head"], department=cast.dept, name="",
                                  preset="luxi", valid_from=D(2025, 1, 1))
    cadre = cast.people["cadre"]

    def judge():
        with CaptureQueriesContext(connection) as ctx:
            cell = run(luxi, YEAR_2025, D(2026, 1, 10)).cell(cadre.pk, 1, YEAR_2025)
        sql = " ".join(q["sql"] for q in ctx.captured_queries)
        return cell.target, "learning_regimerule" in sql, "learning_calendarday" in sql

    assert judge() == (Decimal("248.0"), True, True)
    assert judge() == (Decimal("248.0"), False, False)
    # A rule's new version: the next judgement reads the rules again and sees it.
    hours = luxi.rules.get(series=1)
    services.rule_change(by=cast["head"], rule=hours, effective=D(2025, 7, 1),
                         threshold=Decimal(2))
    target, read_rules, _ = judge()
    assert read_rules and target > Decimal("248.0")
    # A calendar day entered: the calendar is read again (1 July 2025 becomes a holiday).
    services.calendar_day_set(by=cast["head"], day=D(2025, 7, 1), is_workday=False)
    assert judge()[0] == target - 2
    assert judge()[1:] == (False, False)
