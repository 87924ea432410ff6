"""Care: activities and participation, political birthdays and their notice, annual leave
against the days due, health and hardship records (encrypted, read with a capability,
audited) and the link to the talks app's home visits (issue 21, points 1-3)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404

from zugong.care import selectors, services
from zugong.care.models import Hardship, HealthRecord, LeaveTaken, Participation
from zugong.core.audit import SYSTEM
from zugong.core.models import AuditEntry, Notice
from zugong.people import services as people_services

DAY = dt.date(2026, 3, 2)


def _raw(table, column, pk):
    with connection.cursor() as cur:
        cur.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cur.fetchone()[0]


def _set(cast, name, **data):
    person = cast.people[name]
    people_services.person_update(by=None, person=person, data=data)
    person.refresh_from_db()
    return person


def _activity(cast, by="head", people=("chief", "cadre"), on=DAY, kind="culture"):
    return services.activity_record(
        by=cast[by], department=cast.dept, kind=kind, title="羽毛球比赛", held_on=on,
        organizer=cast.people["chief"], participants=[cast.people[n] for n in people])


# ---------------------------------------------------------------- activities


def test_an_activity_records_its_participants_once_and_the_figures_count_them(cast):
    first = _activity(cast, people=("chief", "cadre", "cadre"))
    assert Participation.objects.filter(activity=first).count() == 2  # cadre once
    services.activity_join(by=cast["head"], activity=first, version=first.version,
                           people=[cast.people["cadre"], cast.people["cadre2"]])
    _activity(cast, people=("head",), on=DAY + dt.timedelta(days=30), kind="union")
    figures = selectors.activity_figures(user=cast["head"], department=cast.dept, year=2026)
    # Two activities; the first has chief, cadre, cadre2 (3), the second head alone (1):
    # 4 person-times, 4 distinct people, one collective activity (2 or more people).
    assert (figures["activities"], figures["collective"], figures["participations"],
            figures["participants"]) == (2, 1, 4, 4)
    # The cast's department has 8 organization cadres in post (head, deputy, chief,
    # cadre, cadre2, supervisor, assessor; 田志强 is a managed cadre, so 7).
    assert figures["team"] == 7 and not figures["all_took_part"]


def test_only_the_departments_team_in_the_recorders_scope_can_be_added(cast):
    with pytest.raises(ValidationError) as exc:
        _activity(cast, by="chief", people=("cadre2",))  # another section
    assert exc.value.message_dict == {"participants": ["请选择您职责范围内的干部。"]}
    with pytest.raises(ValidationError):
        services.activity_record(by=cast["head"], department=cast.dept, kind="culture",
                                 title="篮球", held_on=DAY, organizer=cast.people["managed"])
    with pytest.raises(PermissionDenied):
        _activity(cast, by="outsider")
    with pytest.raises(PermissionDenied):
        _activity(cast, by="cadre")


def test_a_cadre_sees_the_departments_activities_and_the_outsider_none(cast):
    activity = _activity(cast)
    assert [a.pk for a in selectors.activity_list(user=cast["cadre2"])] == [activity.pk]
    assert list(selectors.activity_list(user=cast["outsider"])) == []
    with pytest.raises(PermissionDenied):
        selectors.activity_list(user=cast["auditor"])


def test_the_api_lists_a_page_of_activities(cast, client):
    _activity(cast)
    client.force_login(cast["cadre"])
    body = client.get("/api/v1/care/activities").json()
    assert [(i["title"], i["participants"]) for i in body["items"]] == [("羽毛球比赛", 2)]
    assert body["next"] is None
    bad = client.get("/api/v1/care/activities", {"limit": "abc"})
    assert bad.status_code == 422 and bad.json()["error"]["code"]


def test_a_bad_form_shows_chinese_messages_not_a_500(cast, client):
    client.force_login(cast["head"])
    response = client.post("/care/activities/new/", {"kind": "", "title": "",
                                                     "held_on": "2099-01-01"})
    assert response.status_code == 400
    assert "请选择" in response.content.decode()


# ---------------------------------------------------------------- political birthdays


def test_the_birthday_list_of_a_month_comes_from_the_registrys_joining_dates(cast):
    _set(cast, "cadre", party_join_date=dt.date(2016, 7, 1))
    _set(cast, "chief", party_join_date=dt.date(2005, 7, 20))
    _set(cast, "cadre2", party_join_date=dt.date(2012, 8, 1))
    rows = selectors.birthdays(user=cast["head"], year=2026, month=7)
    # July 2026: 李小红 on the 1st (2026-2016 = 10 years), 张建国 on the 20th (21 years).
    assert [(r.person.name, r.birthday.day, r.birthday.party_years) for r in rows] == [
        ("李小红", dt.date(2026, 7, 1), 10), ("张建国", dt.date(2026, 7, 20), 21)]
    # A cadre with "self" scope sees only themself; the outsider nobody here.
    assert [r.person.name for r in selectors.birthdays(user=cast["cadre"], year=2026,
                                                         month=7)] == ["李小红"]
    assert selectors.birthdays(user=cast["outsider"], year=2026, month=7) == []


def test_the_birthday_list_decrypts_nobodys_id_number_or_phone(cast, monkeypatch):
    from zugong.core import crypto

    for name, day in (("cadre", 1), ("chief", 20)):
        # A phone, so that there is something a full load would decrypt.
        _set(cast, name, party_join_date=dt.date(2016, 7, day), phone="13800000000")
    calls = []
    real = crypto.SoftwareProvider.decrypt
    monkeypatch.setattr(crypto.SoftwareProvider, "decrypt",
                        lambda self, token: calls.append(token) or real(self, token))
    rows = selectors.birthdays(user=cast["head"], year=2026, month=7)
    assert {r.person.name for r in rows} == {"李小红", "张建国"}
    assert [r.person.unit.name for r in rows] and calls == []


def test_a_birthday_is_marked_once_a_year_and_never_before_the_first_anniversary(cast):
    cadre = _set(cast, "cadre", party_join_date=dt.date(2016, 3, 1))
    services.birthday_mark(by=cast["chief"], person=cadre, on=DAY, form="oath")
    with pytest.raises(ValidationError) as exc:
        services.birthday_mark(by=cast["chief"], person=cadre, on=DAY, form="card")
    assert "已" in exc.value.messages[0]
    fresh = _set(cast, "cadre2", party_join_date=dt.date(2026, 1, 5))
    with pytest.raises(ValidationError):
        services.birthday_mark(by=cast["head"], person=fresh, on=DAY, form="oath")
    assert selectors.birthdays_marked(user=cast["head"], year=2026) == 1


def test_on_the_day_the_member_and_the_head_over_them_get_a_notice_once(cast):
    _set(cast, "cadre", party_join_date=dt.date(2016, 7, 1))
    day = dt.date(2026, 7, 1)
    assert services.birthdays_notify(today=day) == {"members": 1, "leaders": 1}
    notices = Notice.objects.filter(kind="care.birthday.today")
    assert {n.recipient.username for n in notices} == {"cadre", "head"}
    assert "10" in notices.get(recipient=cast["cadre"]).title
    # The outsider heads another department: not told. A second run sends nothing.
    assert services.birthdays_notify(today=day) == {"members": 0, "leaders": 0}


# ---------------------------------------------------------------- annual leave


def test_leave_is_refused_beyond_the_days_due_by_years_of_service(cast):
    # Work since 2019-09-01: 7 full years on 2026-12-31 -> 5 days due in 2026.
    cadre = _set(cast, "cadre", work_start_date=dt.date(2019, 9, 1))
    services.leave_record(by=cast["chief"], person=cadre, on=dt.date(2026, 4, 6),
                          until=dt.date(2026, 4, 8), days=Decimal("3"))
    with pytest.raises(ValidationError) as exc:
        services.leave_record(by=cast["chief"], person=cadre, on=dt.date(2026, 5, 6),
                              until=dt.date(2026, 5, 8), days=Decimal("2.5"))
    assert exc.value.message_dict["days"] == ["2026年的5天年休假仅剩2天。"]
    services.leave_record(by=cast["chief"], person=cadre, on=dt.date(2026, 5, 6),
                          until=dt.date(2026, 5, 7), days=Decimal("2"))
    row = selectors.leave_overview(user=cast["head"], year=2026,
                                   person=str(cadre.pk))[0]
    assert (row.service_years, row.balance.due, row.balance.taken, row.balance.left) == \
        (7, 5, 5.0, 0)
    with pytest.raises(ValidationError):  # other section, out of the chief's scope
        services.leave_record(by=cast["chief"], person=cast.people["cadre2"], on=DAY,
                              until=DAY, days=1)
    assert LeaveTaken.objects.count() == 2


# ---------------------------------------------------------------- health and hardship


def test_health_and_hardship_are_encrypted_at_rest_and_their_audit_has_no_content(cast):
    check = services.health_record(by=cast["head"], person=cast.people["cadre"],
                                   kind="check", on=DAY, findings="血脂偏高")
    hard = services.hardship_record(by=cast["deputy"], person=cast.people["cadre"],
                                    kind="illness", on=DAY, situation="母亲重病住院",
                                    support="送去慰问金", amount=Decimal("2000"))
    assert "血脂" not in _raw("care_healthrecord", "findings", check.pk)
    assert "重病" not in _raw("care_hardship", "situation", hard.pk)
    assert HealthRecord.objects.get(pk=check.pk).findings == "血脂偏高"
    assert Hardship.objects.get(pk=hard.pk).situation == "母亲重病住院"
    for entry in AuditEntry.objects.filter(action__in=["care.health.record",
                                                       "care.hardship.record"]):
        assert "血脂" not in str(entry.after) and "重病" not in str(entry.after)


@pytest.mark.parametrize("name", ["chief", "cadre", "cadre2", "supervisor", "assessor",
                                  "sysadmin", "secadmin", "auditor"])
def test_without_the_capability_nobody_reads_health_or_hardship_not_even_their_own(cast,
                                                                                   name):
    services.health_record(by=SYSTEM, person=cast.people["cadre"], kind="check", on=DAY)
    with pytest.raises(PermissionDenied):
        selectors.health_list(user=cast[name])
    with pytest.raises(PermissionDenied):
        selectors.hardship_list(user=cast[name])
    with pytest.raises(ValidationError):
        services.hardship_record(by=cast[name], person=cast.people["cadre"], kind="other",
                                 on=DAY, situation="困难")


def test_the_capability_reads_only_in_scope_and_each_read_is_logged(cast, client):
    mine = services.hardship_record(by=SYSTEM, person=cast.people["cadre2"], kind="housing",
                                    on=DAY, situation="暂无住房")
    # The deputy's scope is 组织室 and 县教育局: 王磊 of 干部室 is out of it (404, no name).
    with pytest.raises(Http404):
        selectors.hardship_get_for_user(cast["deputy"], mine.pk)
    with pytest.raises(Http404):
        selectors.hardship_get_for_user(cast["outsider"], mine.pk)
    client.force_login(cast["head"])
    page = client.get(f"/care/hardship/{mine.pk}/")
    assert page.status_code == 200 and "暂无住房" in page.content.decode()
    assert AuditEntry.objects.filter(action="care.hardship.view",
                                     object_id=str(mine.pk)).count() == 1
    client.force_login(cast["deputy"])
    outside = client.get(f"/care/hardship/{mine.pk}/")
    assert outside.status_code == 404 and "王磊" not in outside.content.decode()


def test_a_hardship_closes_once_and_shows_the_talks_home_visits_since(cast):
    from zugong.talks import services as talks_services

    managed = cast.people["managed"]
    record = services.hardship_record(by=cast["head"], person=managed, kind="illness",
                                      on=DAY, situation="本人重病")
    talks_services.visit_record(by=cast["head"], person=managed, visitors=[],
                                kind="home", on=DAY - dt.timedelta(days=3), place="家中")
    visit = talks_services.visit_record(by=cast["head"], person=managed, visitors=[],
                                        kind="home", on=DAY + dt.timedelta(days=2),
                                        place="县人民医院")
    # Only the visit on or after the day the difficulty was known is linked.
    assert [v["id"] for v in selectors.home_visits(user=cast["head"], hardship=record)] == \
        [visit.pk]
    closed = services.hardship_close(by=cast["head"], hardship=record,
                                     version=record.version, closed_on=DAY,
                                     support="协调医保报销")
    assert closed.closed_on == DAY and closed.support == "协调医保报销"
    with pytest.raises(ValidationError):
        services.hardship_close(by=cast["head"], hardship=closed, version=closed.version,
                                closed_on=DAY)


def test_the_activities_page_costs_the_same_queries_for_one_or_five_activities(cast, client):
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast["head"])
    _activity(cast)
    client.get("/care/activities/")  # warm the per-process caches (code tables, roles)
    with CaptureQueriesContext(conn) as one:
        assert client.get("/care/activities/").status_code == 200
    for day in range(4):
        _activity(cast, on=DAY + dt.timedelta(days=day + 1))
    with CaptureQueriesContext(conn) as five:
        assert client.get("/care/activities/").status_code == 200
    assert len(five) == len(one)


def test_the_pages_show_the_records_they_list(cast, client):
    cadre = _set(cast, "cadre", party_join_date=dt.date(2016, 3, 1),
                 work_start_date=dt.date(2019, 9, 1))
    activity = _activity(cast, kind="family")
    services.leave_record(by=cast["head"], person=cadre, on=DAY, until=DAY, days=1)
    hard = services.hardship_record(by=cast["head"], person=cadre, kind="finance", on=DAY,
                                    situation="房贷压力大")
    health = services.health_record(by=cast["head"], person=cadre, kind="recuperation",
                                    on=DAY, days=5, findings="完成疗休养")
    client.force_login(cast["head"])
    pages = {
        "/care/birthdays/?year=2026&month=3": ["李小红", "10"],  # 2026 - 2016 = 10 years
        f"/care/activities/{activity.pk}/": ["张建国", "李小红", "join-form"],
        "/care/leave/?year=2026": ["李小红", "leave-entries"],
        f"/care/hardship/{hard.pk}/": ["房贷压力大", "close-form"],
        f"/care/health/{health.pk}/": ["完成疗休养"],
        f"/care/person/{cadre.pk}/": ["care-birthday", "care-leave", "羽毛球比赛"],
    }
    for url, texts in pages.items():
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code == 200, url
        assert all(t in body for t in texts), url


def test_the_workbench_shows_todays_birthdays_and_open_hardships(cast, client_for):
    from django.utils import timezone

    today = timezone.localdate()
    joined = today.replace(year=today.year - 5) if (today.month, today.day) != (2, 29) \
        else dt.date(today.year - 4, 2, 29)
    _set(cast, "cadre", party_join_date=joined)
    services.hardship_record(by=SYSTEM, person=cast.people["cadre"], kind="other",
                             on=today, situation="家中老人无人照料")
    todos = {t.key: t for t in client_for(cast["head"]).get("/").context["summary"]["todos"]}
    assert todos["care.birthdays"].count == 1 and todos["care.hardships"].count == 1
    chief = {t.key for t in client_for(cast["chief"]).get("/").context["summary"]["todos"]}
    assert "care.birthdays" in chief and "care.hardships" not in chief


def test_the_workbench_counts_todays_unmarked_birthdays_in_scope_as_the_list_does(cast):
    """``birthdays_due`` (the workbench's count, ids and dates only) counts what the
    birthdays list shows for today unmarked: not a marked one, not another day's, not
    someone out of scope."""
    from django.utils import timezone

    today = timezone.localdate()

    def joined(years, day=today):
        return day.replace(year=day.year - years) if (day.month, day.day) != (2, 29) \
            else dt.date(day.year - 4 * years, 2, 29)

    _set(cast, "cadre", party_join_date=joined(5))
    marked = _set(cast, "chief", party_join_date=joined(8))
    services.birthday_mark(by=cast["head"], person=marked, on=today, form="oath")
    _set(cast, "outsider", party_join_date=joined(3))
    other_day = today.replace(day=2 if today.day != 2 else 3)
    _set(cast, "deputy", party_join_date=joined(4, other_day))
    head = cast["head"]
    listed = [r for r in selectors.birthdays(user=head, year=today.year, month=today.month)
              if r.birthday.day == today and r.mark is None]
    assert [r.person.pk for r in listed] == [cast.people["cadre"].pk]
    assert selectors.birthdays_due(user=head, today=today) == 1
    # The other department's head counts their own, never this one's.
    assert selectors.birthdays_due(user=cast["outsider"], today=today) == 1
    # The chief sees the cadre's, due, and not their own, marked.
    assert selectors.birthdays_due(user=cast["chief"], today=today) == 1
