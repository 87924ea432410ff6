"""Model fields: values encrypted at rest, and calendar periods."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .crypto import provider
from .periods import Period


class EncryptedTextField(models.TextField):
    """Stores SM4 ciphertext; Python code sees the plaintext.

    Encrypted values cannot be searched or sorted in SQL; pair the field with a
    blind-index column when exact lookup is needed.
    """

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return provider().decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return provider().encrypt(value)


INVALID_PERIOD = _("“%(value)s” is not a period. Write it like 2026, 2026-H2, 2026-Q4, "
                   "2026-11, 2026-W47 or 2026-11-22.")


def _to_period(value) -> Period | None:
    """A Period from a Period, its key, or an empty value (None); ValidationError else."""
    if value is None or isinstance(value, Period):
        return value
    if isinstance(value, str):
        if not value.strip():
            return None
        try:
            return Period.parse(value)
        except ValueError:
            pass
    raise ValidationError(INVALID_PERIOD, code="invalid_period", params={"value": value})


class PeriodFormField(forms.CharField):
    """A text box for a period key; cleans to a Period and shows a Period as its key."""

    def to_python(self, value):
        return _to_period(super().to_python(value))

    def prepare_value(self, value):
        return value.key if isinstance(value, Period) else value

    def run_validators(self, value):
        # The length validator (and any added ones) measure the key, as the database does.
        super().run_validators(value.key if isinstance(value, Period) else value)


class PeriodField(models.CharField):
    """A Period stored as its key ("2026-Q4"); Python code sees :class:`Period` objects.

    Keys of one kind sort by date as text, so ordering and range filters work on a column
    that holds one kind (weeks count in ISO years). An optional period is ``null=True``:
    the empty value is None, never "".
    """

    description = _("calendar period")
    # The longest key is a day's, "2026-11-22".
    DEFAULT_MAX_LENGTH = 10

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", self.DEFAULT_MAX_LENGTH)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == self.DEFAULT_MAX_LENGTH:
            del kwargs["max_length"]
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return None
        return Period.parse(value)

    def to_python(self, value):
        return _to_period(value)

    def get_prep_value(self, value):
        period = self.to_python(value)
        return None if period is None else period.key

    def value_to_string(self, obj):
        period = self.value_from_object(obj)
        return "" if period is None else period.key

    def run_validators(self, value):
        # CharField's length validator (and any added ones) measure the stored key.
        super().run_validators(value.key if isinstance(value, Period) else value)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PeriodFormField, **kwargs})
