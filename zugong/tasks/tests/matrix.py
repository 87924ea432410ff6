"""Permission-matrix rows of the task ledger's pages and endpoints.

Same shape as ``MATRIX`` in tests/test_permission_matrix.py, which collects them."""

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from tests.permissions import BUSINESS, expect, only
from zugong.core.audit import SYSTEM
from zugong.tasks import services
from zugong.tasks.models import Inquiry, MonthlyItem, Task

LEADS = ("head", "deputy", "chief", "outsider")
SEE = expect(403, head=200, deputy=200, chief=200, cadre=200, cadre2=404, outsider=404,
             supervisor=200, assessor=200)
LEAD_WRITE = expect(403, head=302, deputy=302, chief=302, cadre2=404, outsider=404)


def _task(cast):
    """An open task of the organization section led by the cadre (one per test)."""
    task = Task.objects.filter(section=cast.sec_org).first()
    if task is None:
        today = timezone.localdate()
        task = services.task_create(by=SYSTEM, title="党建引领基层治理", section=cast.sec_org,
                                    lead=cast.people["cadre"], deputy=cast.people["deputy"],
                                    start=today - dt.timedelta(days=10),
                                    deadline=today + dt.timedelta(days=30))
    return task


def _with_task(cast):
    _task(cast)
    return []


def _task_args(cast):
    return [_task(cast).pk]


def _item(cast):
    item = MonthlyItem.objects.first()
    if item is None:
        month = timezone.localdate().strftime("%Y-%m")
        item = MonthlyItem.objects.create(section=cast.sec_org, month=month, title="完成调研",
                                          task=_task(cast))
    return [item.pk]


def _inquiry(cast):
    inq = Inquiry.objects.first()
    if inq is None:
        today = timezone.localdate()
        inq = Inquiry.objects.create(department=cast.dept, channel="phone", received_on=today,
                                     first_receiver=cast.people["cadre"], inquirer="群众甲",
                                     question="党员组织关系如何转接", due=today)
    return [inq.pk]


def _with_inquiry(cast):
    _inquiry(cast)
    return []



PDF = b"%PDF-1.4 evidence"


def _entry_args(cast):
    """The task and a ledger entry of it with an evidence file."""
    task = _task(cast)
    entry = task.entries.exclude(evidence="").first()
    if entry is None:
        entry = services.entry_add(by=SYSTEM, task=task, on=task.start, text="完成初稿",
                                   percent=50, evidence=ContentFile(PDF, name="初稿.pdf"))
    return [task.pk, entry.pk]


def _item_with_evidence(cast):
    [pk] = _item(cast)
    item = MonthlyItem.objects.get(pk=pk)
    if not item.evidence:
        item.evidence.save("证明.pdf", ContentFile(PDF))
    return [pk]


def _current_version():
    from zugong.tasks.models import Task

    return Task.objects.latest("pk").version


ROWS = {
    "tasks:mine": ("get", _with_task, None, only(200, BUSINESS)),
    "tasks:task_add": ("get", None, None, only(200, LEADS)),
    "tasks:task": ("get", _task_args, None, SEE),
    "tasks:entry_evidence": ("get", _entry_args, None, SEE),
    "tasks:monthly_evidence": ("get", _item_with_evidence, None,
                               expect(403, head=200, deputy=200, chief=200, cadre=200,
                                      cadre2=404, outsider=404, supervisor=200,
                                      assessor=200)),
    "tasks:decide": ("post", _task_args, lambda c: {"text": "抓紧推进", "version": 1},
                     LEAD_WRITE),
    "tasks:cancel": ("post", _task_args, lambda c: {"reason": "上级通知取消", "version": 1},
                     LEAD_WRITE),
    # The task has no ledger yet, so it may still be deleted (by whoever may lead it).
    "tasks:task_delete": ("post", _task_args, None, LEAD_WRITE),
    "tasks:carry": ("post", _task_args, lambda c: {"reason": "跨年实施", "version": 1},
                    LEAD_WRITE),
    # Only the deputy in charge of the task decides a backdated completion (with nothing
    # awaiting, the deputy is told so and sent back).
    "tasks:backdate": ("post", _task_args, lambda c: {"decision": "approve", "version": 1},
                       expect(403, deputy=302, cadre2=404, outsider=404)),
    "tasks:carry_approve": ("post", _task_args, None,
                            expect(403, head=302, cadre2=404, outsider=404)),
    "tasks:targets": ("post", None, lambda c: {"title": "基层组织建设质量提升"},
                      expect(403, head=302, outsider=302)),
    "tasks:dispatch": ("get", _with_task, None, only(200, LEADS)),
    "tasks:board": ("get", _with_task, None, only(200, BUSINESS)),
    "tasks:calendar": ("get", _with_task, None, only(200, BUSINESS)),
    "tasks:overview": ("get", _with_task, None, only(200, BUSINESS)),
    "tasks:monthly": ("get", _with_task, None, only(200, BUSINESS)),
    "tasks:signoff": ("post", _item, lambda c: {"note": "调研报告已印发"},
                      expect(403, head=302, deputy=302, chief=302, cadre=302, cadre2=404,
                             outsider=404)),
    "tasks:monthly_delete": ("post", _item, None, LEAD_WRITE),
    "tasks:approve": ("post", _item, None, expect(403, cadre2=404, outsider=404,
                                                  deputy=302)),
    "tasks:stocktakes": ("get", None, None, only(200, LEADS)),
    "tasks:stocktake_export": ("get", None, None, only(200, LEADS)),
    "tasks:clearance": ("get", _with_task, None, only(200, LEADS)),
    "tasks:inquiries": ("get", None, None, only(200, BUSINESS)),
    "tasks:inquiry_close": ("post", _inquiry,
                            lambda c: {"reply": "已告知办理流程", "satisfaction": "satisfied"},
                            expect(403, head=302, deputy=302, chief=302, cadre=302,
                                   cadre2=404, outsider=404)),
    # A new rating code for the inquirer: whoever may close the inquiry.
    "tasks:inquiry_code": ("post", _inquiry, None,
                           expect(403, head=302, deputy=302, chief=302, cadre=302,
                                  cadre2=404, outsider=404)),
    # The public's rating page: no account, only the code box.
    "tasks:inquiry_rate": ("get", None, None, expect(200, anonymous=200)),
    "tasks:handover": ("get", None, None, only(200, LEADS)),
    "tasks:export": ("get", _with_task, None, only(200, BUSINESS)),
    "tasks:person_tab": ("get", lambda c: [c.people["cadre"].pk], None, SEE),
    "api:dispatch_list": ("get", _with_task, None, only(200, LEADS, anonymous=401)),
    "api:list_inquiries": ("get", _with_inquiry, None, only(200, BUSINESS, anonymous=401)),
    "api:create_inquiry": ("post", None,
                           lambda c: {"channel": "phone", "received_on": "2026-03-02",
                                      "inquirer": "群众丙", "question": "党费标准",
                                      "due": "2026-03-06"},
                           expect(201, sysadmin=403, secadmin=403, auditor=403,
                                  anonymous=401)),
    "api:list_tasks": ("get", _with_task, None, only(200, BUSINESS, anonymous=401)),
    "api:get_task": ("get", _task_args, None, {**SEE, None: 401}),
    "api:delete_task": ("delete", _task_args, None,
                        {**LEAD_WRITE, "head": 204, "deputy": 204, "chief": 204, None: 401}),
    "api:add_entry": ("post", _task_args,
                      # Each member in turn sends the version the task has now (a stale
                      # one answers 409, tested in test_kit.py).
                      lambda c: {"on": timezone.localdate().isoformat(), "text": "完成入户走访",
                                 "percent": 10, "version": _current_version()},
                      expect(403, head=201, deputy=201, chief=201, cadre=201, cadre2=404,
                             outsider=404, anonymous=401)),
}
