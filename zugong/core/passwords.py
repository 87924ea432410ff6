"""Password rules of the 等保 baseline: character classes and no reuse."""

import string

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """At least ``min_classes`` of: lower case, upper case, digits, symbols."""

    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        classes = [
            any(c in string.ascii_lowercase for c in password),
            any(c in string.ascii_uppercase for c in password),
            any(c in string.digits for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(
                _(
                    "The password must contain at least %(n)d of: lower-case letters, "
                    "upper-case letters, digits, symbols."
                ),
                code="password_classes",
                params={"n": self.min_classes},
            )

    def get_help_text(self):
        return _(
            "At least %(n)d of: lower-case letters, upper-case letters, digits, symbols."
        ) % {"n": self.min_classes}


class HistoryValidator:
    """Refuses the current password and the last N (ZUGONG_PASSWORD_HISTORY)."""

    def validate(self, password, user=None):
        if user is None or not getattr(user, "pk", None):
            return
        depth = settings.ZUGONG_PASSWORD_HISTORY
        previous = list(
            user.password_history.order_by("-created_at").values_list("password", flat=True)[
                :depth
            ]
        )
        if user.password:
            previous.append(user.password)
        if any(check_password(password, encoded) for encoded in previous):
            raise ValidationError(
                _("The password must differ from your last %(n)d passwords."),
                code="password_reused",
                params={"n": depth},
            )

    def get_help_text(self):
        return _("It must differ from your last %(n)d passwords.") % {
            "n": settings.ZUGONG_PASSWORD_HISTORY
        }
