"""Permission-matrix rows of core's own URL (gathered by tests/test_permission_matrix.py).

The health check is for monitors and load balancers, which do not sign in: everyone gets
the same answer, and it carries no data.
"""

from tests.permissions import expect

ROWS = {
    "healthz": ("get", None, None, expect(200, anonymous=200)),
}
