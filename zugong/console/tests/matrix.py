"""Permission-matrix rows of the notices pages, of an audit entry's values and of the
recycle bin (gathered by
tests/test_permission_matrix.py).

Everybody who is signed in has a notices page of their own, administrators included (they
may receive system notices); a notice opens only for its recipient, and for everyone else
it does not exist (404), so ids cannot be probed.

The recycle bin shows the roles that delete records; an entry exists only for those who
could have deleted it (the head, the deputy in charge of the cadre's section, the section
chief), and only the head may erase it for good.
"""

from tests.permissions import expect, only


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


def _recycled_resume(cast):
    """A résumé line of the cadre, deleted into the bin (afresh for each member)."""
    import datetime as dt

    from zugong.core.models import RecycledRecord
    from zugong.people import services

    person = cast.people["cadre"]
    item = services.subrecord_add(by=None, person=person, kind="resume", data={
        "start": dt.date(2016, 7, 1), "end": None, "text": "泸溪县委组织部组织室科员"})
    services.subrecord_delete(by=None, person=person, kind="resume", pk=item.pk)
    return [RecycledRecord.objects.get(model="people.resumeentry", object_pk=str(item.pk)).pk]


_DELETERS = ("head", "deputy", "chief")

ROWS = {
    "notices": ("get", None, None, expect(200)),
    "notices_read": ("post", None, None, expect(302, anonymous=302)),
    "notice_open": ("get", _cadre_notice, None, expect(404, cadre=302)),
    # The values of an entry: the head and supervision of the department (audit.values);
    # the head of another department holds the right but not the scope (404); everyone
    # else, the auditor included, lacks the right (403).
    "console:audit_values": ("get", _entry_about_cadre, None,
                     expect(403, head=200, supervisor=200, outsider=404)),
    "console:recycle": ("get", None, None, only(200, (*_DELETERS, "outsider", "assessor"))),
    "console:recycle_restore": ("post", _recycled_resume, None,
                                expect(403, outsider=404, assessor=404,
                                       **dict.fromkeys(_DELETERS, 302))),
    "console:recycle_erase": ("post", _recycled_resume, lambda c: {"reason": "个人信息删除申请"},
                              expect(403, head=302, outsider=404, assessor=404)),
}
