"""The first-inquiry register (首问负责): whoever is asked first answers for the reply."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zugong.core import ballots
from zugong.core.audit import SYSTEM, audit_record
from zugong.core.notices import notify
from zugong.people.models import Person

from .. import events
from ..access import department_of, may_lead
from ..models import Channel, Inquiry, InquiryCode, Satisfaction
from ._common import _add, _users_of, actor, is_system


def inquiry_add(*, by, channel: str, received_on: dt.date, inquirer: str, question: str,
                due: dt.date, handled_by: Person | None = None,
                receiver: Person | None = None) -> Inquiry:
    """Whoever receives the inquiry first is its first receiver (``receiver`` only for
    imports and the demo, which act as the system)."""
    person = receiver if is_system(by) else by.person
    if person is None:
        raise PermissionDenied
    errors: dict = {}
    if channel not in Channel.values:
        _add(errors, "channel", _("Choose how the inquiry came in."))
    if not (inquirer or "").strip():
        _add(errors, "inquirer", _("Who asked?"))
    if not (question or "").strip():
        _add(errors, "question", _("What was asked?"))
    if received_on and due and due < received_on:
        _add(errors, "due", _("The time limit is before the inquiry was received."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        inq = Inquiry.objects.create(department=department_of(person.unit), channel=channel,
                                     received_on=received_on, first_receiver=person,
                                     inquirer=inquirer.strip(), question=question.strip(),
                                     due=due, handled_by=handled_by)
        audit_record(actor=actor(by), action=events.INQUIRY_ADD, obj=inq)
        if handled_by:
            notify(recipients=_users_of(handled_by), kind=events.NOTICE_INQUIRY,
                   title=_("Inquiry handed to you: %(q)s") % {"q": inq.question[:40]},
                   url=reverse("tasks:inquiries"))
    return inq


def inquiry_close(*, by, inquiry: Inquiry, reply: str, satisfaction: str,
                  on: dt.date | None = None, standard=()) -> Inquiry:
    """Close with the reply given, the inquirer's satisfaction and the points of the
    service standard (六个一, 两清, 三心, 四个一样对待) the receiver kept: ``standard`` is
    the ticked ``StandardItem`` rows, each one in use."""
    if not _may_close(by, inquiry):
        raise PermissionDenied
    errors: dict = {}
    if not (reply or "").strip():
        _add(errors, "reply", _("Write the reply given."))
    if satisfaction not in Satisfaction.values:
        _add(errors, "satisfaction", _("Record the inquirer's satisfaction."))
    if inquiry.closed_on:
        _add(errors, "reply", _("The inquiry is already closed."))
    standard = list(standard or ())
    if any(not item.is_active for item in standard):
        _add(errors, "standard", _("Tick only points of the standard in use."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Closed once: the state is checked again on the locked row.
        if Inquiry.objects.select_for_update().get(pk=inquiry.pk).closed_on:
            raise ValidationError({"reply": [_("The inquiry is already closed.")]})
        inquiry.reply, inquiry.satisfaction = reply.strip(), satisfaction
        inquiry.closed_on = on or timezone.localdate()
        inquiry.save()
        inquiry.standard.set(standard)
        audit_record(actor=actor(by), action=events.INQUIRY_CLOSE, obj=inquiry,
                     after={"satisfaction": satisfaction,
                            "standard": sorted(item.pk for item in standard)})
    return inquiry


# ---------------------------------------------------------------- the public's rating


def _may_close(by, inquiry: Inquiry) -> bool:
    return by.person_id in (inquiry.first_receiver_id, inquiry.handled_by_id) \
        or may_lead(by, inquiry.responsible.unit)


def inquiry_code_issue(*, by, inquiry: Inquiry) -> str:
    """A one-time code for the inquirer to rate the service themselves, issued when the
    inquiry is closed (whoever may close it may issue a new one, which replaces an unused
    one). The code is returned once; only its hash is kept (``core.ballots``)."""
    if not is_system(by) and not _may_close(by, inquiry):
        raise PermissionDenied
    if not inquiry.closed_on or inquiry.public_rating:
        raise ValidationError(_("Only a closed inquiry not yet rated by the public gets a "
                                "rating code."))
    code = ballots.codes_new(1)[0]
    with transaction.atomic():
        InquiryCode.objects.filter(inquiry=inquiry).delete()
        InquiryCode.objects.create(inquiry=inquiry, code_hash=ballots.code_hash(code))
        audit_record(actor=actor(by), action=events.INQUIRY_CODE, obj=inquiry)
    return code


def inquiry_invalid_code() -> str:
    """One answer for a code that never existed, was used, or was replaced."""
    return _("This code is not valid or has been used.")


def inquiry_public_rate(*, code: str, rating: str, comment: str = "") -> Inquiry:
    """The inquirer rates the service with their one-time code (no account): the rating
    is kept on the inquiry and the code is spent."""
    errors: dict = {}
    if rating not in Satisfaction.values:
        _add(errors, "rating", _("Choose how satisfied you are."))
    comment = (comment or "").strip()
    if len(comment) > 500:
        _add(errors, "comment", _("Keep the comment within 500 characters."))
    with transaction.atomic():
        row = ballots.code_row(InquiryCode.objects.filter(used=False), code)
        inquiry = Inquiry.objects.select_for_update().filter(
            pk=row.inquiry_id if row else None, closed_on__isnull=False,
            public_rating="").first()
        if inquiry is None:
            _add(errors, "code", inquiry_invalid_code())
        if errors:
            raise ValidationError(errors)
        inquiry.public_rating, inquiry.public_comment = rating, comment
        inquiry.public_rated_on = timezone.localdate()
        inquiry.save(update_fields=["public_rating", "public_comment", "public_rated_on"])
        row.used = True
        row.save(update_fields=["used"])
        # The system acts: the inquirer has no account. The comment stays on the record.
        audit_record(actor=SYSTEM, action=events.INQUIRY_PUBLIC_RATE, obj=inquiry,
                     after={"public_rating": rating})
    return inquiry
