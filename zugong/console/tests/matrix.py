"""Permission-matrix rows of the notices pages and of an audit entry's values (gathered by
tests/test_permission_matrix.py).

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


def _entry_about_cadre(cast):
    from zugong.core.audit import audit_record

    person = cast.people["cadre"]
    return [audit_record(actor=cast["head"], action="people.person.update", obj=person,
                         before={"current_post": "科员"},
                         after={"current_post": "副主任科员"}).seq]


ROWS = {
    "notices": ("get", None, None, expect(200)),
    "notices_read": ("post", None, None, expect(302, anonymous=302)),
    "notice_open": ("get", _cadre_notice, None, expect(404, cadre=302)),
    # The values of an entry: the head and supervision of the department (audit.values);
    # the head of another department holds the right but not the scope (404); everyone
    # else, the auditor included, lacks the right (403).
    "console:audit_values": ("get", _entry_about_cadre, None,
                     expect(403, head=200, supervisor=200, outsider=404)),
}
