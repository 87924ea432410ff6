"""Model fields for values encrypted at rest."""

from django.db import models

from .crypto import provider


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
