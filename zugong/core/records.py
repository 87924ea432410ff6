"""What every record about a person has, written once: whose, when, who entered it, its
version, and (when a chief confirms it) its review state.

``core`` must not import the people app, so the person is named by the
``ZUGONG_PERSON_MODEL`` setting ("people.Person"), the way Django names the user model.
The field definitions are exactly the ones learning's records were created with, so
lifting an existing record table onto these mixins needs no migration.

A new record type is about 20 lines::

    class CommendationKind(models.TextChoices):
        PRAISE = "praise", _("praise")
        AWARD = "award", _("award")


    class Commendation(PersonRecord, Reviewable):
        \"\"\"A commendation a cadre received; the section chief confirms it.\"\"\"

        kind = models.CharField(_("kind"), max_length=10, choices=CommendationKind.choices)
        issuer = models.CharField(_("issued by"), max_length=100)
        text = models.TextField(_("text"), blank=True)

        class Meta(PersonRecord.Meta):
            verbose_name = _("commendation")
            indexes = [models.Index(fields=["person", "on"], name="commendation_person_on")]

        def __str__(self):
            return f"{self.issuer} {self.on:%Y-%m-%d}"

Edits then go through ``core.versioning.versioned_update`` (the ``version`` field is
here for it) and confirmation through :meth:`Reviewable.mark_reviewed`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("awaiting confirmation")
    CONFIRMED = "confirmed", _("confirmed")
    RETURNED = "returned", _("returned")


class PersonRecord(models.Model):
    """Whose record it is, on which day, who entered it and when, and its edit version."""

    person = models.ForeignKey(settings.ZUGONG_PERSON_MODEL, models.PROTECT, related_name="+",
                               verbose_name=_("person"))
    on = models.DateField(_("date"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True
        ordering = ["-on", "-id"]


# The fields a review touches, for ``save(update_fields=...)`` (updated_at too, because
# ``auto_now`` is only written when it is named).
REVIEW_FIELDS = ("status", "return_reason", "reviewed_by", "reviewed_at")


class Reviewable(models.Model):
    """A record a chief confirms or returns with a reason; the owner's edit reopens it."""

    status = models.CharField(_("status"), max_length=10, choices=ReviewStatus.choices,
                              default=ReviewStatus.PENDING)
    return_reason = models.CharField(_("reason for returning"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                    blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def mark_reviewed(self, *, by, confirm: bool, reason: str = "") -> None:
        """Confirm, or return with a reason; the caller saves (and bumps the version).

        A return without a reason is refused here rather than in each form, because the
        owner who gets the record back must always be told what to fix.
        """
        reason = reason.strip()
        if not confirm and not reason:
            raise ValidationError({"return_reason": [_("Say why the record is returned.")]})
        self.status = ReviewStatus.CONFIRMED if confirm else ReviewStatus.RETURNED
        self.return_reason = "" if confirm else reason
        self.reviewed_by, self.reviewed_at = by, timezone.now()

    def reopen(self) -> None:
        """Back to awaiting confirmation, as after the owner edits a confirmed record."""
        self.status, self.return_reason = ReviewStatus.PENDING, ""
        self.reviewed_by = self.reviewed_at = None

    @property
    def is_confirmed(self) -> bool:
        return self.status == ReviewStatus.CONFIRMED
