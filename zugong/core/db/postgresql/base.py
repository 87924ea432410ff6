"""Django's PostgreSQL engine with the before-commit hook (see ``zugong.core.db``)."""

from django.db.backends.postgresql import base

from .. import BeforeCommitMixin


class DatabaseWrapper(BeforeCommitMixin, base.DatabaseWrapper):
    pass
