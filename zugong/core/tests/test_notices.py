"""Notices: in-app with read receipts, email after commit, the 企业微信 / 钉钉 group robot."""

import json
import logging
import urllib.error
from unittest import mock

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zugong.core import notices
from zugong.core.models import Notice
from zugong.core.notices import notice_mark_read, notify, webhook_post

PING = "core.test.ping"

pytestmark = pytest.mark.django_db

ROBOT_URL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=robot-secret-key-123"


class FailingBackend(BaseEmailBackend):
    """A mail server that refuses everything."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("smtp.example.org refused li@example.org")


class _Answer:
    """What ``urlopen`` returns: a context manager with ``read``."""

    def __init__(self, body=b'{"errcode":0,"errmsg":"ok"}'):
        self.body = body

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def read(self, *_args):
        return self.body


@pytest.fixture
def mail_on(settings):
    settings.EMAIL_HOST = "smtp.example.org"
    settings.ZUGONG_BASE_URL = "https://zugong.example.gov.cn/"


@pytest.fixture
def robot(settings):
    settings.ZUGONG_WEBHOOK_URL = ROBOT_URL
    settings.ZUGONG_WEBHOOK_KEYWORD = ""
    settings.ZUGONG_BASE_URL = "https://zugong.example.gov.cn"


def _with_email(user, address):
    user.email = address
    user.save(update_fields=["email"])
    return user


def _record_url(cast):
    return f"/people/{cast.people['cadre'].pk}/"


# --- in-app notices -------------------------------------------------------------------------

def test_notify_creates_one_notice_per_recipient_in_one_insert(cast,
                                                               django_assert_max_num_queries):
    users = [cast["cadre"], cast["cadre2"], cast["chief"], cast["cadre"]]
    with django_assert_max_num_queries(5) as queries:  # two savepoints and their releases
        created = notify(recipients=users, kind="learning.progress.behind", title="学习进度落后",
                         body="本月学习时长不足 4 小时。", url=_record_url(cast))
    assert sum(q["sql"].startswith("INSERT") for q in queries.captured_queries) == 1
    assert len(created) == 3 and all(n.pk for n in created)
    assert {n.recipient_id for n in created} == {cast["cadre"].pk, cast["cadre2"].pk,
                                                 cast["chief"].pk}
    assert all(n.read_at is None and n.url == _record_url(cast) for n in created)


def test_the_same_dedupe_key_twice_notifies_each_recipient_once(cast):
    args = {"kind": "learning.progress.behind", "title": "学习进度落后",
            "dedupe_key": "learning:2026-11"}
    first = notify(recipients=[cast["cadre"], cast["cadre2"]], **args)
    second = notify(recipients=[cast["cadre"], cast["cadre2"]], **args)
    third = notify(recipients=[cast["cadre"], cast["chief"]], **args)
    assert len(first) == 2 and second == []
    assert [n.recipient_id for n in third] == [cast["chief"].pk]
    assert Notice.objects.filter(dedupe_key="learning:2026-11").count() == 3
    # Without a key, every call is a new notice.
    notify(recipients=[cast["cadre"]], kind=PING, title="a")
    notify(recipients=[cast["cadre"]], kind=PING, title="a")
    assert Notice.objects.filter(kind=PING).count() == 2


def test_a_run_that_slips_in_between_check_and_insert_is_absorbed_row_by_row(cast):
    # As if another run had inserted the cadre's notice after this run's check.
    Notice.objects.create(recipient=cast["cadre"], kind=PING, title="t", dedupe_key="dup")
    rows = [Notice(recipient=cast["cadre"], kind=PING, title="t", dedupe_key="dup"),
            Notice(recipient=cast["cadre2"], kind=PING, title="t", dedupe_key="dup")]
    created = notices._insert(rows)
    assert [n.recipient_id for n in created] == [cast["cadre2"].pk]
    assert Notice.objects.filter(dedupe_key="dup").count() == 2


def test_the_database_refuses_a_second_notice_with_the_same_key(cast):
    from django.db import IntegrityError, transaction

    Notice.objects.create(recipient=cast["cadre"], kind=PING, title="t", dedupe_key="once")
    with pytest.raises(IntegrityError), transaction.atomic():
        Notice.objects.create(recipient=cast["cadre"], kind=PING, title="t", dedupe_key="once")


def test_a_link_to_another_site_is_refused_when_notifying(cast):
    for url in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        with pytest.raises(ValueError):
            notify(recipients=[cast["cadre"]], kind=PING, title="t", url=url)
    assert not Notice.objects.exists()


def test_nobody_to_tell_creates_nothing(cast):
    assert notify(recipients=[], kind=PING, title="t") == []


# --- email ----------------------------------------------------------------------------------

def _mail_callbacks(callbacks):
    # The other after-commit callback is the bell count's memo (core.memo.bump).
    return [c for c in callbacks if getattr(c, "func", None) is notices._send_emails]


def test_email_goes_out_only_after_the_commit(cast, mail_on, mailoutbox,
                                              django_capture_on_commit_callbacks):
    _with_email(cast["cadre"], "li@example.org")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(recipients=[cast["cadre"], cast["cadre2"]], kind="learning.progress.behind",
               title="学习进度落后", body="本月学习时长不足 4 小时。", url=_record_url(cast))
        assert mailoutbox == []  # nothing leaves before the transaction commits
    assert len(_mail_callbacks(callbacks)) == 1
    assert len(mailoutbox) == 1  # cadre2 has no address
    message = mailoutbox[0]
    assert message.to == ["li@example.org"]
    assert message.subject == "学习进度落后"
    assert "本月学习时长不足 4 小时。" in message.body
    assert f"https://zugong.example.gov.cn{_record_url(cast)}" in message.body


def test_each_recipient_gets_a_separate_email(cast, mail_on, mailoutbox,
                                              django_capture_on_commit_callbacks):
    _with_email(cast["cadre"], "li@example.org")
    _with_email(cast["cadre2"], "wang@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[cast["cadre"], cast["cadre2"]], kind=PING, title="通知")
    assert sorted(m.to[0] for m in mailoutbox) == ["li@example.org", "wang@example.org"]
    assert all(len(m.to) == 1 for m in mailoutbox)


def test_no_email_is_sent_when_no_mail_server_is_configured(cast, settings, mailoutbox,
                                                            django_capture_on_commit_callbacks):
    settings.EMAIL_HOST = ""
    _with_email(cast["cadre"], "li@example.org")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(recipients=[cast["cadre"]], kind=PING, title="通知")
    assert _mail_callbacks(callbacks) == [] and mailoutbox == []
    assert Notice.objects.filter(recipient=cast["cadre"]).count() == 1


def test_no_email_is_sent_when_the_caller_asks_for_none(cast, mail_on, mailoutbox,
                                                       django_capture_on_commit_callbacks):
    _with_email(cast["cadre"], "li@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[cast["cadre"]], kind=PING, title="通知", email=False)
    assert mailoutbox == []


def test_a_deduplicated_notice_is_not_emailed_again(cast, mail_on, mailoutbox,
                                                    django_capture_on_commit_callbacks):
    _with_email(cast["cadre"], "li@example.org")
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            notify(recipients=[cast["cadre"]], kind=PING, title="通知", dedupe_key="k:1")
    assert len(mailoutbox) == 1


def test_a_failing_mail_server_is_logged_without_addresses_and_does_not_raise(
        cast, mail_on, settings, caplog, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "zugong.core.tests.test_notices.FailingBackend"
    _with_email(cast["cadre"], "li@example.org")
    with caplog.at_level(logging.WARNING, logger="zugong.notices"):
        with django_capture_on_commit_callbacks(execute=True):
            created = notify(recipients=[cast["cadre"]], kind="learning.progress.behind",
                             title="学习进度落后", body="保密内容")
    assert len(created) == 1 and Notice.objects.filter(pk=created[0].pk).exists()
    assert "notice email failed" in caplog.text and "learning.progress.behind" in caplog.text
    for secret in ("li@example.org", "smtp.example.org", "保密内容"):
        assert secret not in caplog.text


# --- the group robot ------------------------------------------------------------------------

def _posted(urlopen):
    request = urlopen.call_args.args[0]
    return request, json.loads(request.data.decode("utf-8"))


def test_the_robot_gets_one_text_message_with_the_link(cast, robot,
                                                       django_capture_on_commit_callbacks):
    with mock.patch("urllib.request.urlopen", return_value=_Answer()) as urlopen:
        with django_capture_on_commit_callbacks(execute=True):
            notify(recipients=[cast["cadre"], cast["cadre2"]], kind="learning.progress.behind",
                   title="学习进度落后", body="2 人本月学习时长不足。", url="/people/",
                   email=False, webhook=True)
            assert not urlopen.called  # only after commit
    assert urlopen.call_count == 1  # one message per batch, not per recipient
    request, payload = _posted(urlopen)
    assert request.full_url == ROBOT_URL and request.get_method() == "POST"
    assert request.get_header("Content-type") == "application/json; charset=utf-8"
    assert urlopen.call_args.kwargs["timeout"] == 5
    assert payload == {"msgtype": "text", "text": {
        "content": "学习进度落后\n2 人本月学习时长不足。\nhttps://zugong.example.gov.cn/people/"}}


def test_the_dingtalk_keyword_is_put_in_front_of_the_text(robot, settings):
    settings.ZUGONG_WEBHOOK_KEYWORD = "组工"
    with mock.patch("urllib.request.urlopen", return_value=_Answer()) as urlopen:
        assert webhook_post("学习进度落后") is True
    _request, payload = _posted(urlopen)
    assert payload["text"]["content"] == "组工 学习进度落后"
    assert payload["msgtype"] == "text"


def test_no_robot_message_unless_asked_and_configured(cast, settings,
                                                      django_capture_on_commit_callbacks):
    settings.ZUGONG_WEBHOOK_URL = ""
    with mock.patch("urllib.request.urlopen") as urlopen:
        with django_capture_on_commit_callbacks(execute=True):
            notify(recipients=[cast["cadre"]], kind=PING, title="t", webhook=True)
        settings.ZUGONG_WEBHOOK_URL = ROBOT_URL
        with django_capture_on_commit_callbacks(execute=True):
            notify(recipients=[cast["cadre"]], kind=PING, title="t")  # webhook=False
    assert not urlopen.called


@pytest.mark.parametrize("failure", [
    urllib.error.URLError("timed out"),
    urllib.error.HTTPError(ROBOT_URL, 502, "Bad Gateway", {}, None),
    TimeoutError(),
])
def test_a_robot_failure_is_logged_without_its_key_and_does_not_raise(
        cast, robot, caplog, failure, django_capture_on_commit_callbacks):
    with caplog.at_level(logging.WARNING, logger="zugong.notices"):
        with mock.patch("urllib.request.urlopen", side_effect=failure):
            with django_capture_on_commit_callbacks(execute=True):
                created = notify(recipients=[cast["cadre"]], kind="learning.progress.behind",
                                 title="学习进度落后", email=False, webhook=True)
    assert len(created) == 1
    assert "notice webhook failed" in caplog.text
    assert "robot-secret-key-123" not in caplog.text and "qyapi" not in caplog.text


def test_a_robot_that_answers_with_an_error_code_counts_as_failed(robot, caplog):
    answer = _Answer(b'{"errcode":310000,"errmsg":"keywords not in content"}')
    with caplog.at_level(logging.WARNING, logger="zugong.notices"):
        with mock.patch("urllib.request.urlopen", return_value=answer):
            assert webhook_post("学习进度落后") is False
    assert "errcode=310000" in caplog.text


def test_a_robot_url_that_is_not_http_is_never_opened(settings, caplog):
    settings.ZUGONG_WEBHOOK_URL = "file:///etc/passwd"
    with mock.patch("urllib.request.urlopen") as urlopen:
        assert webhook_post("x") is False
    assert not urlopen.called
    assert "/etc/passwd" not in caplog.text


# --- read receipts --------------------------------------------------------------------------

def test_mark_read_sets_the_receipt_of_the_chosen_or_all_unread_notices(cast):
    mine = notify(recipients=[cast["cadre"]], kind=PING, title="一")
    mine += notify(recipients=[cast["cadre"]], kind=PING, title="二")
    mine += notify(recipients=[cast["cadre"]], kind=PING, title="三")
    theirs = notify(recipients=[cast["cadre2"]], kind=PING, title="他人")[0]

    assert notice_mark_read(user=cast["cadre"], notice_ids=[mine[0].pk, theirs.pk]) == 1
    theirs.refresh_from_db()
    assert theirs.read_at is None  # someone else's notice is never touched
    assert notice_mark_read(user=cast["cadre"], notice_ids=[]) == 0
    assert notice_mark_read(user=cast["cadre"]) == 2
    assert not Notice.objects.filter(recipient=cast["cadre"], read_at__isnull=True).exists()
    first_read = Notice.objects.get(pk=mine[0].pk).read_at
    assert notice_mark_read(user=cast["cadre"]) == 0
    assert Notice.objects.get(pk=mine[0].pk).read_at == first_read  # the receipt keeps its time


def test_mark_all_as_read_on_the_page(cast, client_for):
    notify(recipients=[cast["cadre"], cast["cadre2"]], kind=PING, title="通知")
    response = client_for(cast["cadre"]).post(reverse("notices_read"))
    assert response.status_code == 302 and response.url == reverse("notices")
    assert Notice.objects.get(recipient=cast["cadre"]).read_at is not None
    assert Notice.objects.get(recipient=cast["cadre2"]).read_at is None


def test_opening_a_notice_marks_it_read_and_goes_to_its_record(cast, client_for):
    notice = notify(recipients=[cast["cadre"]], kind=PING, title="通知", url=_record_url(cast))[0]
    response = client_for(cast["cadre"]).get(reverse("notice_open", args=[notice.pk]))
    assert response.status_code == 302 and response.url == _record_url(cast)
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_nobody_else_can_open_a_notice(cast, client_for):
    notice = notify(recipients=[cast["cadre"]], kind=PING, title="通知", url=_record_url(cast))[0]
    for other in ("cadre2", "head", "auditor"):
        response = client_for(cast[other]).get(reverse("notice_open", args=[notice.pk]))
        assert response.status_code == 404, other
    notice.refresh_from_db()
    assert notice.read_at is None


@pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/x",
                                 "javascript:alert(1)", "/\\evil.example"])
def test_a_link_to_another_site_is_not_followed(cast, client_for, url):
    # Written straight to the table, as a faulty caller or an old row could have done.
    notice = Notice.objects.create(recipient=cast["cadre"], kind=PING, title="t", url=url)
    response = client_for(cast["cadre"]).get(reverse("notice_open", args=[notice.pk]))
    assert response.status_code == 302 and response.url == reverse("notices")
    notice.refresh_from_db()
    assert notice.read_at is not None


# --- pages ----------------------------------------------------------------------------------

def test_the_bell_shows_the_unread_count_on_the_home_page(cast, client_for):
    notify(recipients=[cast["cadre"]], kind=PING, title="一")
    notify(recipients=[cast["cadre"]], kind=PING, title="二")
    notify(recipients=[cast["cadre2"]], kind=PING, title="他人")
    page = client_for(cast["cadre"]).get("/").content.decode()
    assert 'id="zg-bell"' in page and reverse("notices") in page
    assert '<span class="badge rounded-pill zg-bell-badge" id="zg-bell-count">2<' in page

    notice_mark_read(user=cast["cadre"])
    page = client_for(cast["cadre"]).get("/").content.decode()
    assert 'id="zg-bell"' in page and 'id="zg-bell-count"' not in page


def test_the_bell_count_is_kept_until_a_notice_comes_or_is_read(cast, client_for):
    """Every page shows the badge: a second page reads no notices (core.memo), and a new
    notice, or one read, shows on the next page."""
    client = client_for(cast["cadre"])

    def bell():
        with CaptureQueriesContext(connection) as ctx:
            page = client.get("/").content.decode()
        counted = any('"core_notice"' in q["sql"] and "COUNT(" in q["sql"]
                      for q in ctx.captured_queries)
        badge = page.split('id="zg-bell-count">')[1].split("<")[0] if "zg-bell-count" in page \
            else ""
        return badge, counted

    notify(recipients=[cast["cadre"]], kind=PING, title="一")
    assert bell() == ("1", True)
    assert bell() == ("1", False)  # kept
    notify(recipients=[cast["cadre"], cast["cadre2"]], kind=PING, title="二")
    assert bell() == ("2", True)
    notify(recipients=[cast["cadre2"]], kind=PING, title="他人")
    assert bell() == ("2", False)  # someone else's notice leaves mine alone
    notice_mark_read(user=cast["cadre"], notice_ids=[Notice.objects.filter(
        recipient=cast["cadre"]).order_by("pk").first().pk])
    assert bell() == ("1", True)


def test_the_bell_counts_at_most_ninety_nine(cast, client_for):
    Notice.objects.bulk_create(
        [Notice(recipient=cast["cadre"], kind=PING, title=str(i)) for i in range(100)])
    page = client_for(cast["cadre"]).get("/").content.decode()
    assert 'id="zg-bell-count">99+<' in page


@pytest.mark.parametrize("admin", ["sysadmin", "secadmin", "auditor"])
def test_the_administrators_have_no_bell(cast, client_for, admin):
    page = client_for(cast[admin]).get("/").content.decode()
    assert 'id="zg-bell"' not in page


def test_the_notices_page_lists_only_my_notices_newest_first(cast, client_for):
    notify(recipients=[cast["cadre"]], kind=PING, title="较早的通知", url=_record_url(cast))
    notify(recipients=[cast["cadre"]], kind=PING, title="最新的通知")
    notify(recipients=[cast["cadre2"]], kind=PING, title="别人的通知")
    response = client_for(cast["cadre"]).get(reverse("notices"))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("最新的通知") < page.index("较早的通知")
    assert "别人的通知" not in page
    assert 'class="zg-notice unread"' in page
    assert 'id="notices-read-all"' in page


def test_the_unread_filter_leaves_out_read_notices(cast, client_for):
    read = notify(recipients=[cast["cadre"]], kind=PING, title="已读的通知")[0]
    notify(recipients=[cast["cadre"]], kind=PING, title="未读的通知")
    notice_mark_read(user=cast["cadre"], notice_ids=[read.pk])
    page = client_for(cast["cadre"]).get(reverse("notices") + "?unread=1").content.decode()
    assert "未读的通知" in page and "已读的通知" not in page


def test_an_empty_notices_page_says_what_will_appear(cast, client_for):
    page = client_for(cast["cadre"]).get(reverse("notices")).content.decode()
    assert 'class="zg-empty"' in page
    assert 'id="notices-read-all"' not in page


def test_the_notices_page_pages_by_key_without_repeats(cast, client_for):
    for i in range(25):
        notify(recipients=[cast["cadre"]], kind=PING, title=f"通知{i:02d}")
    client = client_for(cast["cadre"])
    first = client.get(reverse("notices"))
    assert first.context["next_cursor"]
    second = client.get(reverse("notices"), {"cursor": first.context["next_cursor"]})
    titles = [n.title for n in first.context["notices"]] + [
        n.title for n in second.context["notices"]]
    assert len(first.context["notices"]) == 20 and second.context["next_cursor"] is None
    assert titles == [f"通知{i:02d}" for i in reversed(range(25))]
    # A garbage cursor is refused with the paging error page, not a 500 or page one.
    assert client.get(reverse("notices"), {"cursor": "garbage-x"}).status_code == 422


def test_the_notices_page_query_count_does_not_grow_with_the_notices(
        cast, client_for, django_assert_max_num_queries):
    # Session, user, roles (two), the badge count, the notices, the name in the menu, and
    # the idle-timeout stamp on the session (savepoint, update, release).
    client = client_for(cast["cadre"])
    notify(recipients=[cast["cadre"]], kind=PING, title="一", url=_record_url(cast))
    with django_assert_max_num_queries(10):
        client.get(reverse("notices"))
    Notice.objects.bulk_create(
        [Notice(recipient=cast["cadre"], kind=PING, title=str(i), url="/") for i in range(60)])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("notices"))
    assert len(response.context["notices"]) == 20


@pytest.mark.parametrize("kind", ["tasks.task.overdue", "learning.section.behind",
                                  "assessment.plan.open"])
def test_app_entity_verb_notice_kinds_are_accepted(kind):
    assert notices.kind_name_ok(kind)


@pytest.mark.parametrize("kind", ["tasks.overdue", "person", "tasks.task.Overdue",
                                  "tasks.task.over-due", "a.b.c.d", ""])
def test_other_notice_kinds_are_not(kind):
    assert not notices.kind_name_ok(kind)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["tasks.overdue", "matrix.test", ""])
def test_notify_refuses_a_kind_outside_the_naming_rule(cast, kind):
    with pytest.raises(ValueError, match="<app>.<entity>.<verb>"):
        notify(recipients=[cast["cadre"]], kind=kind, title="提醒")
    assert not Notice.objects.filter(recipient=cast["cadre"], title="提醒").exists()
