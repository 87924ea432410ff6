"""Django's SQLite engine with the before-commit hook (see ``zugong.core.db``)."""

from django.db.backends.sqlite3 import base

from .. import BeforeCommitMixin


class DatabaseWrapper(BeforeCommitMixin, base.DatabaseWrapper):
    pass
