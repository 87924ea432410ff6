"""Shared vocabulary of the permission matrix: the cast and the expected-status helpers.

Each app lists its own rows in ``zugong/<app>/tests/matrix.py`` as ``ROWS`` (same shape as
``MATRIX`` in ``tests/test_permission_matrix.py``); the matrix test gathers them all, so an
app can add pages without touching another app's files.
"""

CAST = ("head", "deputy", "chief", "cadre", "cadre2", "outsider", "supervisor", "assessor",
        "sysadmin", "secadmin", "auditor", None)
BUSINESS = ("head", "deputy", "chief", "cadre", "cadre2", "outsider", "supervisor", "assessor")
ADMINS = ("sysadmin", "secadmin", "auditor")


def expect(default, anonymous=302, **overrides):
    """Expected status per cast member; ``None`` is the anonymous visitor."""
    table = {name: default for name in CAST if name is not None}
    table.update(overrides)
    table[None] = anonymous
    return table


def only(allowed_status, names, other=403, anonymous=302):
    return expect(other, anonymous, **{n: allowed_status for n in names})
