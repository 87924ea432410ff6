"""Permission-matrix rows of the notices pages, of an audit entry's values and of the
recycle bin (gathered by
tests/test_permission_matrix.py).

Everybody who is signed in has a notices page of their own, administrators included (they
may receive system notices); a notice opens only for its recipient, and for everyone else
it does not exist (404), so ids cannot be probed. A background job, its progress and its
result file are likewise its owner's alone.

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

def _cadre_job(cast):
    """A finished background job of the cadre's, with its result file: only the cadre sees
    its page, its progress and its file; for everybody else it does not exist."""
    from django.utils import timezone

    from zugong.core import jobs
    from zugong.core.models import JobRun

    run = JobRun.objects.create(name="console.matrix", owner=cast["cadre"], title="导出",
                                status=JobRun.Status.SUCCEEDED, started_at=timezone.now(),
                                finished_at=timezone.now(), result_name="名单.xlsx")
    folder = jobs.jobs_dir() / str(run.pk)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "result").write_bytes(b"PK")
    JobRun.objects.filter(pk=run.pk).update(result_path=f"{run.pk}/result")
    return [run.pk]


ROWS = {
    "notices": ("get", None, None, expect(200)),
    "notices_read": ("post", None, None, expect(302, anonymous=302)),
    "notice_open": ("get", _cadre_notice, None, expect(404, cadre=302)),
    # The values of an entry: the head and supervision of the department (audit.values);
    # the head of another department holds the right but not the scope (404); everyone
    # else, the auditor included, lacks the right (403).
    "console:audit_values": ("get", _entry_about_cadre, None,
                     expect(403, head=200, supervisor=200, outsider=404)),
    # The person page's change history: the same right and scope as the values.
    "console:person_history": ("get", lambda cast: [cast.people["cadre"].pk], None,
                               expect(403, head=200, supervisor=200, outsider=404)),
    "console:recycle": ("get", None, None, only(200, (*_DELETERS, "outsider", "assessor"))),
    "console:recycle_restore": ("post", _recycled_resume, None,
                                expect(403, outsider=404, assessor=404,
                                       **dict.fromkeys(_DELETERS, 302))),
    "console:recycle_erase": ("post", _recycled_resume, lambda c: {"reason": "个人信息删除申请"},
                              expect(403, head=302, outsider=404, assessor=404)),
    "job": ("get", _cadre_job, None, expect(404, cadre=200)),
    "job_status": ("get", _cadre_job, None, expect(404, cadre=200)),
    "job_file": ("get", _cadre_job, None, expect(404, cadre=200)),
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
