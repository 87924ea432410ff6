"""Permission-matrix rows of the notices pages (gathered by tests/test_permission_matrix.py).

Everybody who is signed in has a notices page of their own, administrators included (they
may receive system notices); a notice opens only for its recipient, and for everyone else
it does not exist (404), so ids cannot be probed.
"""

from tests.permissions import expect, only


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

_dept_seq = iter(range(100, 999))


def _new_department(cast):
    return {"name": "新设县委组织部", "code": f"9{next(_dept_seq)}", "sections": "组织室"}


def _department(cast):
    return [cast.dept.pk]


def _link_body(cast):
    return {"account": cast["head"].pk, "person": cast.people["cadre"].pk}


ROWS.update({
    # Starting a department is the system administrator's (first-run) duty; the link only
    # touches accounts that head the department and have no person, so here it refuses
    # with a message and a redirect.
    "console:setup": ("get", None, None, only(200, ("sysadmin",))),
    "console:setup_link": ("post", _department, _link_body, only(302, ("sysadmin",))),
})
