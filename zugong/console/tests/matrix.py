"""Permission-matrix rows of the notices pages (gathered by tests/test_permission_matrix.py).

Everybody who is signed in has a notices page of their own, administrators included (they
may receive system notices); a notice opens only for its recipient, and for everyone else
it does not exist (404), so ids cannot be probed.
"""

from tests.permissions import expect


def _cadre_notice(cast):
    from zugong.core.notices import notify

    person = cast.people["cadre"]
    return [notify(recipients=[cast["cadre"]], kind="console.matrix.test", title="学习提醒",
                   url=f"/people/{person.pk}/")[0].pk]


ROWS = {
    "notices": ("get", None, None, expect(200)),
    "notices_read": ("post", None, None, expect(302, anonymous=302)),
    "notice_open": ("get", _cadre_notice, None, expect(404, cadre=302)),
}
