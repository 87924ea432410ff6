"""The first-inquiry register (首问负责): whoever is asked first answers for the reply."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zugong.core.audit import audit_record
from zugong.core.notices import notify
from zugong.people.models import Person

from .. import events
from ..access import department_of, may_lead
from ..models import Channel, Inquiry, Satisfaction
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
    if by.person_id not in (inquiry.first_receiver_id, inquiry.handled_by_id) \
            and not may_lead(by, inquiry.responsible.unit):
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
