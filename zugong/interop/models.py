"""Stored state of import and export: batches awaiting confirmation and the form's own text."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zugong.core.fields import EncryptedTextField
from zugong.people.models import Person


class ImportBatch(models.Model):
    """An uploaded batch (LRMX files or a workbook), parsed and waiting for confirmation."""

    class Kind(models.TextChoices):
        LRMX = "lrmx", _("LRMX files")
        WORKBOOK = "workbook", _("Excel workbook")

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Awaiting confirmation")
        IMPORTED = "imported", _("Imported")
        DISCARDED = "discarded", _("Discarded")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PREVIEW)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE,
                                   related_name="+", verbose_name=_("uploaded by"))
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    name = models.CharField(_("file"), max_length=200)
    unit = models.ForeignKey("people.OrgUnit", models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name=_("unit for new people"))
    category = models.CharField(_("category for new people"), max_length=16, blank=True)
    # The parsed records hold ID numbers, family members and photos: encrypted at rest
    # like the registry's own columns.
    payload = EncryptedTextField(_("parsed records"))
    result = models.JSONField(_("result"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_by", "created_at"], name="batch_user_created")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["lrmx", "workbook"]),
                                   name="importbatch_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=["preview", "imported", "discarded"]),
                                   name="importbatch_status_valid"),
        ]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self):
        return f"{self.name} ({self.get_status_display()})"


class FormSheet(models.Model):
    """The appointment form's fields that the registry has no column for (拟任职务, 任免理由 …)."""

    person = models.OneToOneField(Person, models.CASCADE, related_name="form_sheet",
                                  verbose_name=_("person"))
    fields = models.JSONField(_("form fields"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("appointment form text")
        verbose_name_plural = _("appointment form texts")

    def __str__(self):
        return str(self.person)
