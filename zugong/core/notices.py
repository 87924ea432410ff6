"""Telling people things: in-app notices with read receipts, email, and a group robot.

Every app calls ``notify`` from its services (or jobs). The in-app notices are written in
the caller's transaction; email and the 企业微信 / 钉钉 robot message go out only after it
commits, and their failures are logged, never raised: a mail server that is down must not
undo the business operation that caused the notice.

Logs never carry addresses, message text or the robot URL (it contains the robot's key).
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import DOTTED_NAME
from .memo import bump
from .models import Notice

logger = logging.getLogger("zugong.notices")

WEBHOOK_TIMEOUT_SECONDS = 5
_TITLE_MAX = Notice._meta.get_field("title").max_length
_KIND_MAX = Notice._meta.get_field("kind").max_length
_KEY_MAX = Notice._meta.get_field("dedupe_key").max_length
_URL_MAX = Notice._meta.get_field("url").max_length


def unread_scope(user_id: int) -> str:
    """The memo scope (``core.memo``) of a user's unread notices: every page shows their
    count, so it is kept until ``notify`` or ``notice_mark_read`` changes it."""
    return f"core:notices:{user_id}"


def kind_name_ok(kind: str) -> bool:
    """Whether a notice kind has the shape "<app>.<entity>.<verb>", as audit actions do
    ("tasks.task.overdue"), so a user's notice settings can group kinds by app."""
    return bool(DOTTED_NAME.fullmatch(kind))


def is_local_path(url: str) -> bool:
    """A path on this site ("/people/3/"), not another host, scheme or protocol-relative URL."""
    return url.startswith("/") and not url.startswith("//") and "\\" not in url


def absolute_url(url: str) -> str:
    """The link as it should appear outside the site (email, group chat)."""
    base = (getattr(settings, "ZUGONG_BASE_URL", "") or "").rstrip("/")
    return f"{base}{url}" if base and url else url


def notify(*, recipients: Iterable, kind: str, title: str, body: str = "", url: str = "",
           dedupe_key: str = "", email: bool = True, webhook: bool = False) -> list[Notice]:
    """Create one notice per recipient; email and the group robot follow after commit.

    ``url`` is the path of the record the notice is about. With a ``dedupe_key``, a
    recipient who already has a notice with that key gets nothing new, so a scheduled job
    that runs twice notifies once. Returns the notices actually created.
    """
    title, body, kind, dedupe_key = str(title), str(body), str(kind), str(dedupe_key)
    if len(kind) > _KIND_MAX or not kind_name_ok(kind):
        # One naming rule for every app, so notice settings can group kinds by app.
        raise ValueError(f"notice kind {kind!r} is not <app>.<entity>.<verb> "
                         f"of at most {_KIND_MAX} characters")
    if len(dedupe_key) > _KEY_MAX:
        raise ValueError(f"notice dedupe_key must be at most {_KEY_MAX} characters")
    if url and (not is_local_path(url) or len(url) > _URL_MAX):
        raise ValueError("notice url must be a path on this site")
    if len(title) > _TITLE_MAX:
        title = title[: _TITLE_MAX - 1] + "…"

    users = {}
    for user in recipients:
        if user is not None and user.pk is not None:
            users.setdefault(user.pk, user)
    if not users:
        return []

    now = timezone.now()
    with transaction.atomic():
        if dedupe_key:
            done = set(Notice.objects.filter(recipient_id__in=list(users), dedupe_key=dedupe_key)
                       .values_list("recipient_id", flat=True))
            users = {pk: u for pk, u in users.items() if pk not in done}
        rows = [Notice(recipient=u, kind=kind, title=title, body=body, url=url,
                       created_at=now, dedupe_key=dedupe_key) for u in users.values()]
        created = _insert(rows) if rows else []
        bump(*(unread_scope(n.recipient_id) for n in created))

    if created and email and getattr(settings, "EMAIL_HOST", ""):
        addresses = [n.recipient.email for n in created
                     if n.recipient.email and n.recipient.is_active]
        if addresses:
            transaction.on_commit(partial(_send_emails, kind, title, body, url, addresses),
                                  robust=True)
    if created and webhook and getattr(settings, "ZUGONG_WEBHOOK_URL", ""):
        text = "\n".join(p for p in (title, body, absolute_url(url)) if p)
        transaction.on_commit(partial(_webhook_after_commit, kind, text), robust=True)
    return created


def _insert(rows: list[Notice]) -> list[Notice]:
    """Insert in bulk; if another run slipped in the same dedupe keys, insert row by row.

    ``bulk_create(ignore_conflicts=True)`` would not give the new rows their ids on either
    database, and callers (and the emails) need to know exactly which rows are new.
    """
    try:
        with transaction.atomic():
            return Notice.objects.bulk_create(rows)
    except IntegrityError:
        pass
    created = []
    for row in rows:
        row.pk = None
        try:
            with transaction.atomic():
                row.save(force_insert=True)
        except IntegrityError:
            continue  # this recipient got the notice from the other run
        created.append(row)
    return created


def _send_emails(kind: str, title: str, body: str, url: str, addresses: list[str]) -> int:
    """One message per address (recipients must not see each other); returns how many went."""
    subject = " ".join(title.split())  # a line break in a subject is refused as a header
    text = body or title
    if url:
        text = f"{text}\n\n" + _("Open in Zugong: %(url)s") % {"url": absolute_url(url)}
    sent = failed = 0
    error = ""
    try:
        with get_connection() as connection:
            for address in addresses:
                message = EmailMessage(subject, text, settings.DEFAULT_FROM_EMAIL, [address],
                                       connection=connection)
                try:
                    sent += message.send()
                except Exception as exc:  # one bad address must not stop the rest
                    failed += 1
                    error = type(exc).__name__
    except Exception as exc:  # the business operation has already committed
        failed = len(addresses) - sent
        error = type(exc).__name__
    if failed:
        # Only the kind, the counts and the exception class: no address, no text.
        logger.warning("notice email failed: kind=%s failed=%d sent=%d error=%s",
                       kind, failed, sent, error)
    return sent


def _webhook_after_commit(kind: str, text: str) -> None:
    if not webhook_post(text):
        logger.warning("notice webhook not delivered: kind=%s", kind)


def webhook_post(text: str) -> bool:
    """Post one text message to the group robot; True when the robot accepted it.

    企业微信 and 钉钉 robots take the same body, ``{"msgtype": "text", "text": {"content"}}``,
    and both answer ``{"errcode": 0, …}`` on success. The keyword (钉钉 keyword security)
    is put in front of the text. Failures are logged without the URL and never raised.
    """
    url = getattr(settings, "ZUGONG_WEBHOOK_URL", "") or ""
    if not url:
        return False
    if not url.lower().startswith(("https://", "http://")):
        logger.warning("notice webhook skipped: ZUGONG_WEBHOOK_URL is not an http(s) URL")
        return False
    keyword = getattr(settings, "ZUGONG_WEBHOOK_KEYWORD", "") or ""
    content = f"{keyword} {text}" if keyword else text
    payload = json.dumps({"msgtype": "text", "text": {"content": content}},
                         ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url, data=payload, method="POST",
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    try:
        # The scheme was checked above (no file:// or custom schemes).
        with urllib.request.urlopen(  # noqa: S310  # nosec B310
                request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:
            raw = response.read(65536)
    except urllib.error.HTTPError as exc:
        logger.warning("notice webhook failed: HTTP %s", exc.code)
        return False
    except Exception as exc:  # network errors of every kind are only logged
        logger.warning("notice webhook failed: %s", type(exc).__name__)
        return False
    try:
        answer = json.loads(raw.decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError):
        answer = {}
    errcode = answer.get("errcode", 0) if isinstance(answer, dict) else 0
    if errcode not in (0, "0"):
        # The robot's errmsg may echo the request's IP or key hint: only the code is logged.
        logger.warning("notice webhook refused: errcode=%s", errcode)
        return False
    return True


def notice_mark_read(*, user, notice_ids: Iterable[int] | None = None) -> int:
    """Set the read receipt of the user's unread notices (all, or those ids); returns count.

    Only the user's own notices are touched, so a foreign id is silently ignored.
    """
    qs = Notice.objects.filter(recipient=user, read_at__isnull=True)
    if notice_ids is not None:
        ids = [int(i) for i in notice_ids]
        if not ids:
            return 0
        qs = qs.filter(pk__in=ids)
    count = qs.update(read_at=timezone.now())
    if count:
        bump(unread_scope(user.pk))
    return count
