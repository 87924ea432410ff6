"""Learning records through the pages and the API: bad input, confirmation, copies, reminders."""

import datetime as dt
import html
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from PIL import Image

from conftest import make_person, today, yesterday
from zugong.core.models import AuditEntry, Notice
from zugong.core.periods import Period
from zugong.core.versioning import ConflictError
from zugong.learning import selectors, services, summaries
from zugong.learning.compliance import evaluate, people_under
from zugong.learning.models import (
    CopyFlag,
    FirstTopic,
    ReviewStatus,
    StudyNote,
    StudySession,
    Writing,
    WritingKind,
)
from zugong.learning.tests.test_textsim import COPY_B, HONEST_C, REFLECTION_A
from zugong.people.models import Person


def post_study(client, **fields):
    data = {"on": yesterday().isoformat(), "hours": "1", "form": "self", "topic": "学习党章"}
    data.update(fields)
    return client.post(reverse("learning:record_add", args=["study"]), data)


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(("hours", "message"), [
    ("-1", "学习时长必须大于零"),
    ("0", "学习时长必须大于零"),
    ("25", "一天最多24小时"),
])
def test_absurd_hours_are_refused_in_chinese_and_nothing_is_saved(cast, client_for, hours,
                                                                  message):
    response = post_study(client_for(cast["cadre"]), hours=hours)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not StudySession.objects.exists()


def test_more_than_24_hours_in_one_day_across_records_is_refused(cast, client_for):
    client = client_for(cast["cadre"])
    assert post_study(client, hours="20").status_code == 302
    response = post_study(client, hours="5")
    assert "已记录的20小时" in response.content.decode()
    assert StudySession.objects.count() == 1


def test_a_date_in_the_future_is_refused(cast, client_for):
    tomorrow = (today() + dt.timedelta(days=1)).isoformat()
    response = post_study(client_for(cast["cadre"]), on=tomorrow)
    assert "日期在未来" in response.content.decode()
    assert not StudySession.objects.exists()


def test_an_empty_typed_note_is_refused_and_a_paper_notebook_needs_count_and_photos(
        cast, client_for):
    client = client_for(cast["cadre"])
    url = reverse("learning:record_add", args=["note"])
    page = client.post(url, {"on": yesterday().isoformat(), "title": "笔记", "text": " ，。\n"})
    assert "笔记是空的" in page.content.decode()
    page = client.post(url, {"on": yesterday().isoformat(), "title": "笔记", "is_paper": "on"})
    text = page.content.decode()
    assert "请填写笔记本上写的字数" in text and "请至少上传一张笔记本页面的照片作为凭证" in text
    assert not StudyNote.objects.exists()


def test_a_paper_notebook_with_count_and_photos_is_kept_with_its_photos(cast, client_for):
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buf, "JPEG")
    buf.seek(0)
    buf.name = "page.jpg"
    response = client_for(cast["cadre"]).post(
        reverse("learning:record_add", args=["note"]),
        {"on": yesterday().isoformat(), "title": "手写笔记", "is_paper": "on",
         "char_count": "3200", "photos": [buf]})
    assert response.status_code == 302
    note = StudyNote.objects.get()
    assert (note.char_count, note.photos.count(), note.status) == (3200, 1, ReviewStatus.PENDING)


def test_a_typed_note_is_counted_without_punctuation_or_spaces(cast):
    note = services.record_create(by=cast["cadre"], kind="note", person=cast.people["cadre"],
                                  data={"on": yesterday(), "title": "笔记",
                                        "text": "学习 二十大精神，\n坚定信心！Go 2026"})
    assert note.char_count == 2 + 5 + 4 + 2 + 4


def test_a_rule_without_a_metric_or_with_a_zero_threshold_is_refused(cast, client_for):
    regime = services.regime_create(by=cast["head"], department=cast.dept, name="测试制度")
    response = client_for(cast["head"]).post(reverse("learning:rule_add"), {
        "dept": cast.dept.pk, "metric": "", "threshold": "0", "period": "month",
        "valid_from": "2026-01-01"})
    assert response.status_code == 422
    text = response.content.decode()
    assert "请选择规则统计的指标" in text and "阈值必须大于零" in text
    assert not regime.rules.exists()


def test_the_api_answers_bad_input_with_a_structured_chinese_error(cast, client_for):
    client = client_for(cast["cadre"])
    response = client.post("/api/v1/learning/records", {
        "kind": "study", "on": yesterday().isoformat(), "hours": "30", "topic": "x"},
        content_type="application/json")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid" and "hours" in error["fields"]
    assert "24" in error["message"]
    assert not StudySession.objects.exists()


# ---------------------------------------------------------------- confirmation


def test_a_cadres_record_waits_for_the_chief_who_confirms_or_returns_it(cast):
    cadre = cast.people["cadre"]
    record = services.record_create(by=cast["cadre"], kind="study", person=cadre,
                                    data={"on": yesterday(), "hours": Decimal(2), "topic": "自学"})
    assert record.status == ReviewStatus.PENDING
    with pytest.raises(Exception, match="reason|原因"):
        services.record_review(by=cast["chief"], records=[record], confirm=False, reason=" ")
    services.record_review(by=cast["chief"], records=[record], confirm=False,
                           reason="请补充学习材料")
    record.refresh_from_db()
    assert (record.status, record.return_reason) == (ReviewStatus.RETURNED, "请补充学习材料")
    services.record_review(by=cast["chief"], records=[record], confirm=True)
    record.refresh_from_db()
    assert record.status == ReviewStatus.CONFIRMED and record.reviewed_by == cast["chief"]


def test_a_page_of_records_is_confirmed_with_the_reads_of_two(cast, client_for):
    """A chief confirms a page at once: the records load with one query per kind and their
    people's scope is checked once, so six records take the reads of two (only the
    updates grow). One record out of scope refuses the whole batch with a 404, and a
    record named twice is confirmed once."""
    people = [cast.people["cadre"], *(make_person(cast.sec_org, f"干部{i}") for i in range(5))]
    rows = [StudySession.objects.create(person=p, on=yesterday(), hours=Decimal(1), topic="自学")
            for p in people]
    client = client_for(cast["chief"])

    def review(records):
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(reverse("learning:record_review"), {
                "records": [f"study:{r.pk}" for r in records], "decision": "confirm"})
        reads = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT")
                 and any(f'FROM "{t}"' in q["sql"]
                         for t in ("learning_studysession", "people_person"))]
        return response.status_code, len(reads)

    theirs = StudySession.objects.create(person=cast.people["outsider"], on=yesterday(),
                                         hours=Decimal(1), topic="自学")
    assert review([rows[0], theirs])[0] == 404
    assert not StudySession.objects.filter(status=ReviewStatus.CONFIRMED).exists()
    status, two = review(rows[:2])
    assert status == 302
    assert review(rows[2:]) == (302, two)
    assert set(StudySession.objects.filter(pk__in=[r.pk for r in rows])
               .values_list("status", "version")) == {(ReviewStatus.CONFIRMED, 2)}
    again = StudySession.objects.create(person=people[1], on=today(), hours=Decimal(1),
                                        topic="自学")
    assert review([again, again])[0] == 302
    again.refresh_from_db()
    assert (again.status, again.version) == (ReviewStatus.CONFIRMED, 2)


def test_the_records_to_confirm_are_counted_per_kind(cast):
    """The counts beside the records list's tabs and on the workbench: pending records of
    the people the chief reviews, per kind and every kind present, not their own, not
    another unit's, not a confirmed one. (Counted by one query per kind: the four as one
    UNION ALL made PostgreSQL plan a parallel scan of every pending record of the
    province, 450 ms against 4 ms, see docs/performance.md.)"""
    mine, peer = cast.people["cadre"], make_person(cast.sec_org, "干部甲")
    for person in (mine, peer):
        StudySession.objects.create(person=person, on=yesterday(), hours=Decimal(1), topic="t")
    StudySession.objects.create(person=mine, on=yesterday(), hours=Decimal(1), topic="t",
                                status=ReviewStatus.CONFIRMED)
    StudySession.objects.create(person=cast.people["chief"], on=yesterday(), hours=Decimal(1),
                                topic="t")
    StudySession.objects.create(person=cast.people["outsider"], on=yesterday(),
                                hours=Decimal(1), topic="t")
    services.record_create(by=cast["cadre"], kind="note", person=mine,
                           data={"on": yesterday(), "title": "笔记", "text": "学习党章"})
    assert selectors.pending_counts(user=cast["chief"]) == {
        "study": 2, "note": 1, "book": 0, "writing": 0}
    assert selectors.pending_counts(user=cast["cadre"]) == {}


def test_nobody_confirms_their_own_record(cast):
    own = services.record_create(by=cast["chief"], kind="study", person=cast.people["chief"],
                                 data={"on": yesterday(), "hours": 1, "topic": "自学"})
    with pytest.raises(Exception, match="PermissionDenied|"):
        services.record_review(by=cast["chief"], records=[own], confirm=True)
    own.refresh_from_db()
    assert own.status == ReviewStatus.PENDING


def test_editing_a_confirmed_record_reopens_confirmation_and_is_audited(cast):
    record = services.record_create(by=cast["cadre"], kind="study", person=cast.people["cadre"],
                                    data={"on": yesterday(), "hours": 1, "topic": "自学"})
    services.record_review(by=cast["chief"], records=[record], confirm=True)
    record.refresh_from_db()
    services.record_update(by=cast["cadre"], record=record, version=record.version,
                           data={"hours": Decimal(3)})
    record.refresh_from_db()
    assert (record.status, record.hours) == (ReviewStatus.PENDING, Decimal(3))
    entry = AuditEntry.objects.filter(action="learning.record.reopen").get()
    assert entry.before["status"] == "confirmed" and entry.after["status"] == "pending"
    assert entry.before["hours"] == "1.0" and entry.after["hours"] == "3"


def test_a_stale_edit_is_refused(cast, client_for):
    record = services.record_create(by=cast["cadre"], kind="study", person=cast.people["cadre"],
                                    data={"on": yesterday(), "hours": 1, "topic": "自学"})
    client = client_for(cast["cadre"])
    url = reverse("learning:record", args=["study", record.pk])
    stale = {"on": yesterday().isoformat(), "hours": "2", "form": "self", "topic": "改",
             "version": record.version}
    assert client.post(url, stale).status_code == 302
    response = client.post(url, stale)
    # The kit's one conflict message, in Chinese.
    with translation.override("zh-hans"):
        expected = str(ConflictError())
    assert expected.startswith("有人在您打开后修改了这条记录") and expected in html.unescape(
        response.content.decode())


def test_a_chief_recording_collective_study_confirms_it_at_once(cast):
    record = services.record_create(by=cast["chief"], kind="study", person=cast.people["cadre"],
                                    data={"on": yesterday(), "hours": 2, "form": "friday",
                                          "topic": "周五集中学习"})
    assert record.status == ReviewStatus.CONFIRMED
    with pytest.raises(Exception, match="PermissionDenied|"):
        services.record_create(by=cast["cadre2"], kind="study", person=cast.people["cadre"],
                               data={"on": yesterday(), "hours": 1, "topic": "x"})


def test_a_first_topic_counts_as_study_for_each_attendee(cast):
    attendees = [cast.people["cadre"], cast.people["chief"]]
    topic = services.first_topic_record(by=cast["head"], department=cast.dept,
                                        meeting="部务会", held_on=yesterday(),
                                        content="学习总书记重要讲话精神", hours=Decimal("1.5"),
                                        attendees=attendees)
    assert FirstTopic.objects.get() == topic
    regime = services.regime_create(by=cast["head"], department=cast.dept, name="",
                                    preset="luxi", valid_from=yesterday().replace(month=1, day=1))
    services.rule_add(by=cast["head"], regime=regime, metric="learning.first_topic_attendance",
                      threshold=1, period="month", valid_from=yesterday().replace(day=1))
    month = Period.containing("month", yesterday())
    result = evaluate(regime=regime, people=people_under(regime, Person.objects.all()),
                      windows=[month], today=today())
    assert result.cell(cast.people["cadre"].pk, 1, month).actual == Decimal("1.5")
    assert result.cell(cast.people["cadre"].pk, 6, month).actual == 1
    assert result.cell(cast.people["cadre2"].pk, 6, month).actual == 0


# ---------------------------------------------------------------- copies


def _write(by, person, text, kind=WritingKind.REFLECTION):
    return services.record_create(by=by, kind="writing", person=person, data={
        "on": yesterday(), "kind": kind, "title": "学习心得", "text": text})


def test_a_copied_reflection_is_flagged_with_passages_and_an_honest_one_is_not(
        cast, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _write(cast["cadre2"], cast.people["cadre2"], REFLECTION_A)
    with django_capture_on_commit_callbacks(execute=True):
        copied = _write(cast["cadre"], cast.people["cadre"], COPY_B)
    with django_capture_on_commit_callbacks(execute=True):
        _write(cast["chief"], cast.people["chief"], HONEST_C)
    flag = CopyFlag.objects.get()
    assert (flag.source_kind, flag.source_id, flag.other_person) == (
        "writing", copied.pk, cast.people["cadre2"])
    assert flag.score >= Decimal("0.5") and flag.passages
    page = client_for(cast["chief"]).get(reverse("learning:copy", args=[flag.pk]))
    assert page.status_code == 200
    assert flag.passages[0][0][:10] in page.content.decode()
    # The chief of the copier sees the flag on the record; the copier's peer does not.
    assert client_for(cast["cadre2"]).get(reverse("learning:copies")).status_code == 403


def test_the_copy_threshold_is_a_setting_of_the_regime(cast, django_capture_on_commit_callbacks):
    regime = services.regime_create(by=cast["head"], department=cast.dept, name="制度")
    services.regime_settings(by=cast["head"], regime=regime, version=regime.version,
                             count_unconfirmed=False, remind_days=5, copy_threshold="0.95")
    with django_capture_on_commit_callbacks(execute=True):
        _write(cast["cadre2"], cast.people["cadre2"], REFLECTION_A)
        _write(cast["cadre"], cast.people["cadre"], COPY_B)
    assert not CopyFlag.objects.exists()


# ---------------------------------------------------------------- reminders


def test_people_behind_near_the_end_of_a_period_are_reminded_once_and_chiefs_get_a_list(cast):
    today = dt.date(2026, 3, 28)  # 3 days before the end of March and of Q1
    regime = services.regime_create(by=cast["head"], department=cast.dept, name="",
                                    preset="luxi", valid_from=dt.date(2026, 1, 1))
    StudySession.objects.bulk_create([
        StudySession(person=cast.people["cadre2"], on=dt.date(2026, 3, d), hours=2, topic="t",
                     status=ReviewStatus.CONFIRMED) for d in range(1, 28)])
    summaries.rebuild()  # the records above went in around the services
    sent = services.reminders_send(today=today)
    assert sent["people"] > 0 and sent["chiefs"] >= 1
    cadre_notices = Notice.objects.filter(recipient=cast["cadre"])
    titles = " ".join(cadre_notices.values_list("title", flat=True))
    assert "学习时长" in titles and "心得" in titles
    # cadre2 studied 54 h: the hours rule is met, so no hours reminder for them.
    assert not Notice.objects.filter(recipient=cast["cadre2"], title__contains="学习时长")
    chief = Notice.objects.get(recipient=cast["chief"], kind="learning.section.behind")
    assert "李小红" in chief.body and "王磊" not in chief.body  # only the chief's section
    count = Notice.objects.count()
    services.reminders_send(today=today)
    assert Notice.objects.count() == count
    assert regime.remind_days == 5


def test_no_reminders_early_in_the_period(cast):
    services.regime_create(by=cast["head"], department=cast.dept, name="", preset="fenghuang",
                           valid_from=dt.date(2026, 1, 1))
    assert services.reminders_send(today=dt.date(2026, 3, 10)) == {"people": 0, "chiefs": 0}


# ---------------------------------------------------------------- pages


def test_the_compliance_page_takes_the_same_queries_for_more_people(cast, client_for):
    services.regime_create(by=cast["head"], department=cast.dept, name="", preset="luxi",
                           valid_from=dt.date(2026, 1, 1))
    client = client_for(cast["head"])

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("learning:compliance")).status_code == 200
        return len(ctx.captured_queries)

    queries()  # the first request of a session also refreshes the session row
    before = queries()
    for i in range(10):
        make_person(cast.sec_cadre, f"干部{i}")
    assert queries() == before


def test_the_compliance_export_has_a_row_per_person_and_rule(cast, client_for):
    services.regime_create(by=cast["head"], department=cast.dept, name="", preset="luxi",
                           valid_from=dt.date(2026, 1, 1))
    response = client_for(cast["head"]).get(reverse("learning:compliance_export"),
                                            {"period": "2026-03"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    # 7 org cadres in the department (the managed cadre is not held) × 5 rules.
    assert len(rows) == 1 + 7 * 5
    assert rows[0][0] == "人员"


def test_the_compliance_api_gives_the_figures_of_the_engine(cast, client_for):
    services.regime_create(by=cast["head"], department=cast.dept, name="", preset="luxi",
                           valid_from=dt.date(2024, 1, 1))
    StudySession.objects.create(person=cast.people["cadre"], on=dt.date(2024, 2, 3), hours=3,
                                topic="t", status=ReviewStatus.CONFIRMED)
    summaries.rebuild()  # the record above went in around the services
    rows = client_for(cast["chief"]).get("/api/v1/learning/compliance",
                                         {"period": "2024-02"}).json()
    mine = next(r for r in rows if r["person_id"] == cast.people["cadre"].pk and r["rule"] == 1)
    assert (Decimal(mine["target"]), Decimal(mine["actual"]), mine["status"]) == (
        Decimal("18.0"), Decimal("3.0"), "missed")  # February 2024's 18 working days
    # The chief's scope is the section: nobody from other sections appears.
    assert {r["person_id"] for r in rows} <= {cast.people["chief"].pk, cast.people["cadre"].pk}
    bad = client_for(cast["chief"]).get("/api/v1/learning/compliance", {"period": "2024-13"})
    assert bad.status_code == 422 and bad.json()["error"]["fields"]["period"]


def test_my_progress_shows_each_rule_with_a_bar(cast, client_for):
    services.regime_create(by=cast["head"], department=cast.dept, name="", preset="luxi",
                           valid_from=today().replace(month=1, day=1))
    page = client_for(cast["cadre"]).get(reverse("learning:home")).content.decode()
    assert page.count('<progress class="zg-bar') == 5
    assert "学习时长" in page


def test_my_progress_is_kept_until_my_records_exemptions_or_the_summaries_change(
        cast, client_for):
    """The page cadres open most keeps their judged month (core.memo): a second visit
    reads neither the rules nor the summaries, and each write that changes the figure
    shows at once."""
    regime = services.regime_create(by=cast["head"], department=cast.dept, name="",
                                    preset="luxi", valid_from=today().replace(month=1, day=1))
    me = cast.people["cadre"]
    client = client_for(cast["cadre"])

    def hours():
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(reverse("learning:home")).content.decode()
        rule = page[page.index('data-rule="1"'):]
        figure = rule[rule.index('class="zg-figure">') + 18:]
        sql = " ".join(q["sql"] for q in ctx.captured_queries)
        return (figure[:figure.index("<")], rule[rule.index('data-status="') + 13:][:6],
                "learning_monthsummary" in sql or "learning_regimerule" in sql)

    figure, _status, read = hours()
    assert (figure, read) == ("0", True)
    assert hours() == (figure, _status, False)  # kept
    assert post_study(client, on=today().isoformat(), hours="2").status_code == 302
    assert hours()[::2] == ("0", True)  # judged again; a pending record does not count
    record = StudySession.objects.get(person=me)
    services.record_review(by=cast["chief"], records=[record], confirm=True)
    assert hours()[::2] == ("2", True)  # confirmed by the chief
    StudySession.objects.create(person=me, on=today(), hours=Decimal("3"), topic="t",
                                status=ReviewStatus.CONFIRMED)
    assert hours()[0] == "2"  # written around the services: not summarised yet
    summaries.rebuild()
    assert hours()[0] == "5"
    services.exemption_add(by=cast["head"], regime=regime, person=me, kind="leave",
                           start=today().replace(day=1),
                           end=Period.containing("month", today()).end,
                           reason="病假", series=1)
    assert hours()[1] == "exempt"
    # Another person's record leaves my kept month alone (a client of their own:
    # client_for logs the one test client in).
    other = Client()
    other.force_login(cast["cadre2"])
    assert post_study(other, on=today().isoformat()).status_code == 302
    assert StudySession.objects.filter(person=cast.people["cadre2"]).exists()
    assert hours()[2] is False


def test_after_a_new_record_my_month_is_judged_again_from_the_figures_alone(
        cast, client_for):
    """A record changes the figures, not the targets: the rules, the calendar, my post and
    my exemptions are kept apart (``_my_frame``) and only the totals are read again."""
    services.regime_create(by=cast["head"], department=cast.dept, name="", preset="luxi",
                           valid_from=today().replace(month=1, day=1))
    client = client_for(cast["cadre"])

    def tables():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("learning:home")).status_code == 200
        return [t for q in ctx.captured_queries
                for t in ("learning_regime", "learning_regimerule", "learning_exemption",
                          "learning_calendarday", "people_posthistory",
                          "learning_monthsummary")
                if f'FROM "{t}"' in q["sql"]]

    first = tables()
    assert {"learning_regime", "learning_exemption", "learning_monthsummary"} <= set(first)
    assert post_study(client, on=today().isoformat(), hours="2").status_code == 302
    record = StudySession.objects.get(person=cast.people["cadre"])
    services.record_review(by=cast["chief"], records=[record], confirm=True)
    # One read of my summaries for every rule: the month, the quarter and the year.
    assert tables() == ["learning_monthsummary"]
    page = client.get(reverse("learning:home")).content.decode()
    rule = page[page.index('data-rule="1"'):]
    assert rule[rule.index('class="zg-figure">') + 18:].startswith("2<")


def test_my_progress_judges_as_the_compliance_pages_do(cast):
    """The kept targets and the one read of my figures give the cells the department's
    compliance gives me, for the month, quarter and year rules alike."""
    regime = services.regime_create(by=cast["head"], department=cast.dept, name="",
                                    preset="luxi", valid_from=today().replace(month=1, day=1))
    me = cast.people["cadre"]
    quarter = Period.containing("quarter", today())
    for on, kind in ((today().replace(month=1, day=1), WritingKind.RESEARCH),
                     (quarter.start, WritingKind.REFLECTION), (today(), WritingKind.INFO)):
        Writing.objects.create(person=me, on=on, title=str(kind), kind=kind,
                               status=ReviewStatus.CONFIRMED)
    StudySession.objects.create(person=me, on=today(), hours=Decimal("3"), topic="t",
                                status=ReviewStatus.CONFIRMED)
    StudySession.objects.create(person=me, on=today(), hours=Decimal("2"), topic="t")
    summaries.rebuild()
    month = Period.containing("month", today())
    expected = evaluate(regime=regime, people=Person.objects.filter(pk=me.pk),
                        windows=[month], today=today())
    _regime, window, cells = selectors.my_progress(user=cast["cadre"], today=today())
    assert window == month and len(cells) == 5
    for series, cell in cells:
        theirs = expected.cell(me.pk, series.number, month)
        assert (cell.target, cell.actual, cell.expected, cell.status, cell.window) == (
            theirs.target, theirs.actual, theirs.expected, theirs.status, theirs.window)
    actual = {s.current.metric: c.actual for s, c in cells}
    assert actual["learning.study_hours"] == Decimal("3.0")
    assert actual["learning.reflections"] == actual["learning.research_reports"] == 1


def test_my_recent_records_are_my_newest_of_every_kind_newest_first(cast, client_for):
    me, other = cast.people["cadre"], cast.people["cadre2"]
    for days in range(1, 10):  # nine study sessions, three to eleven days ago
        StudySession.objects.create(person=me, on=today() - dt.timedelta(days=days + 2),
                                    hours=Decimal("1"), form="self", topic=f"自学{days}")
    StudyNote.objects.create(person=me, on=today(), title="今天的笔记", char_count=10)
    Writing.objects.create(person=me, on=yesterday(), title="昨天的文章",
                           kind=WritingKind.ARTICLE, outlet_level="county")
    StudyNote.objects.create(person=other, on=today(), title="别人的笔记", char_count=10)
    client = client_for(cast["cadre"])
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(reverse("learning:home")).content.decode()
    card = page[page.index("今天的笔记") - 200:]
    # Newest first across kinds, eight in all: the note, the writing, six study sessions.
    order = ["今天的笔记", "昨天的文章", "自学1", "自学2", "自学6"]
    assert [card.index(t) for t in order] == sorted(card.index(t) for t in order)
    assert "自学7" not in page and "别人的笔记" not in page
    # One query per kind, not one per record (the card reads no person or unit).
    recent = [q["sql"] for q in ctx.captured_queries
              if "learning_studysession" in q["sql"] and "ORDER BY" in q["sql"]]
    assert len(recent) == 1 and "people_person" not in recent[0]


def test_my_recent_records_are_kept_until_one_of_mine_is_written_reviewed_or_deleted(
        cast, client_for):
    """The card is kept (core.memo) under the person's scope, as their progress is."""
    me = cast.people["cadre"]
    client = client_for(cast["cadre"])

    def card():
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(reverse("learning:home")).content.decode()
        read = any("learning_studynote" in q["sql"] and "ORDER BY" in q["sql"]
                   for q in ctx.captured_queries)
        return page, read

    assert card()[1] is True
    assert card()[1] is False  # kept
    assert post_study(client, on=today().isoformat(), topic="新的自学").status_code == 302
    page, read = card()
    assert read and "新的自学" in page
    record = StudySession.objects.get(person=me)
    services.record_review(by=cast["chief"], records=[record], confirm=True)
    assert card()[1] is True  # its badge changed
    assert card()[1] is False
    services.record_delete(by=cast["cadre"], record=record)
    page, read = card()
    assert read and "新的自学" not in page
    # Written around the services: shown after the summaries are rebuilt (or within the
    # memo's timeout), as the progress is.
    StudyNote.objects.create(person=me, on=today(), title="绕过服务的笔记", char_count=10)
    assert "绕过服务的笔记" not in card()[0]
    summaries.rebuild()
    assert "绕过服务的笔记" in card()[0]
    # Another cadre's record leaves my kept card alone.
    other = Client()
    other.force_login(cast["cadre2"])
    assert post_study(other, on=today().isoformat()).status_code == 302
    assert card()[1] is False


def test_records_list_filters_writings_by_outlet_level(cast, client_for):
    for level in ("national", "county"):
        Writing.objects.create(person=cast.people["cadre"], on=yesterday(), title=f"文章{level}",
                               kind=WritingKind.ARTICLE, outlet_level=level,
                               status=ReviewStatus.CONFIRMED)
    page = client_for(cast["head"]).get(reverse("learning:records"), {
        "kind": "writing", "level": "city_up"}).content.decode()
    assert "文章national" in page and "文章county" not in page


def test_the_reminder_job_leaves_a_run_record_and_posts_section_lists_to_the_group_robot(
        cast, settings, django_capture_on_commit_callbacks, monkeypatch):
    from zugong.core import notices
    from zugong.core.models import JobRun
    from zugong.learning import tasks

    settings.ZUGONG_WEBHOOK_URL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=test"
    posted = []
    monkeypatch.setattr(notices, "webhook_post", lambda text: posted.append(text) or True)
    monkeypatch.setattr(tasks.timezone, "localdate", lambda: dt.date(2026, 3, 28))
    services.regime_create(by=cast["head"], department=cast.dept, name="", preset="luxi",
                           valid_from=dt.date(2026, 1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        message = tasks.send_learning_reminders()
    run = JobRun.objects.get(name="learning_reminders")
    assert run.status == JobRun.Status.SUCCEEDED and run.message == message
    assert posted and all("学习提醒" in text for text in posted)
    assert len(posted) == Notice.objects.filter(kind="learning.section.behind").count()


def test_an_upper_department_sees_each_county_in_one_pass(cast, client_for):
    from zugong.people import services as people_services
    from zugong.people.models import Role, Scope

    province_head, _pw = people_services.account_create(by=None, username="prov",
                                                        password="Prov#Pass2026",
                                                        must_change=False)
    people_services.role_grant(by=None, user=province_head, role=Role.HEAD,
                               scope=Scope.OWN_UNIT_AND_BELOW, unit=cast.province)
    services.regime_create(by=cast["head"], department=cast.dept, name="", preset="luxi",
                           valid_from=dt.date(2026, 1, 1))
    services.regime_create(by=None, department=cast.other_dept, name="", preset="fenghuang",
                           valid_from=dt.date(2026, 1, 1))
    client = client_for(province_head)
    url = reverse("learning:compliance")
    client.get(url, {"dept": cast.province.pk})  # warm-up: the session row is written once

    def page():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, {"dept": cast.province.pk})
        return response.content.decode(), len(ctx.captured_queries)

    text, before = page()
    assert "泸溪县委组织部" in text and "凤凰县委组织部" in text
    assert "泸溪“五个一”学习制度" in text and "凤凰学习制度" in text
    for i in range(5):
        make_person(cast.other_section, f"凤凰干部{i}")
    text, after = page()
    assert after == before
    # The county head sees only their own county's figures, not the province roll-up.
    own = client_for(cast["head"]).get(url, {"dept": cast.province.pk})
    assert own.status_code == 404


def test_negative_hours_get_one_plain_message_not_a_constraint_name(cast, client_for):
    page = post_study(client_for(cast["cadre"]), hours="-1").content.decode()
    assert "学习时长必须大于零" in page and "study_hours_range" not in page


def test_the_records_export_button_keeps_the_lists_filters(cast, client_for):
    import html
    import re

    page = client_for(cast["head"]).get(reverse("learning:records"), {
        "kind": "study", "start": "2026-01-01"}).content.decode()
    href = html.unescape(re.search(r'href="(/learning/records/export[^"]*)"', page).group(1))
    assert "kind=study" in href and "start=2026-01-01" in href


def test_the_records_list_decrypts_nobodys_id_number_or_phone_per_row(cast, client_for,
                                                                      monkeypatch):
    # The list shows names and units; a page of one cadre's records used to decrypt the
    # same ID number and phone once per row.
    from zugong.core import crypto

    calls = []
    real = crypto.SoftwareProvider.decrypt
    monkeypatch.setattr(crypto.SoftwareProvider, "decrypt",
                        lambda self, token: calls.append(token) or real(self, token))
    cadre = cast.people["cadre"]
    client = client_for(cast["cadre"])

    def decrypted(records: int) -> int:
        StudySession.objects.bulk_create([
            StudySession(person=cadre, on=yesterday(), hours=Decimal(1), topic=f"自学{i}",
                         status=ReviewStatus.CONFIRMED)
            for i in range(records - StudySession.objects.filter(person=cadre).count())])
        calls.clear()
        page = client.get(reverse("learning:records")).content.decode()
        assert page.count("自学") >= records and cadre.name in page
        return len(calls)

    assert decrypted(2) == decrypted(12)
