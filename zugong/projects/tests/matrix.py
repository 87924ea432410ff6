"""Permission-matrix rows of the projects pages and endpoints (gathered by
tests/test_permission_matrix.py). The department's members read its projects; the head
and the deputy classify, fund and finish them; the guiding section (组织室, the cadre's and
the chief's) and those leaders record follow-ups; the other county's head is told 404; the
administrators 403."""

import datetime as dt

from tests.permissions import BUSINESS, expect, only
from zugong.core.audit import SYSTEM
from zugong.projects import services
from zugong.projects.models import Idea, InnovationProject

DAY = dt.date(2026, 3, 2)


def _declared(cast):
    project = InnovationProject.objects.filter(status="declared").first() or \
        services.project_declare(by=SYSTEM, person=cast.people["cadre"], unit=cast.sec_org,
                                 title="党员积分制管理", summary="探索党员积分管理", on=DAY)
    return [project.pk]


def _under_way(cast):
    project = InnovationProject.objects.filter(status="under_way").first()
    if project is None:
        declared = InnovationProject.objects.get(pk=_declared(cast)[0])
        project = services.project_classify(by=SYSTEM, project=declared,
                                            version=declared.version, category="party",
                                            guiding_section=cast.sec_org,
                                            on=DAY + dt.timedelta(days=3))
    return [project.pk]


def _version(pk):
    return InnovationProject.objects.get(pk=pk).version


def _idea(cast):
    idea = Idea.objects.filter(person=cast.people["cadre"]).first() or services.idea_submit(
        by=SYSTEM, person=cast.people["cadre"], kind="idea", title="建立干部实绩档案",
        content="按季度记录干部实绩", on=DAY)
    return [idea.pk]


SEE = expect(200, outsider=404, sysadmin=403, secadmin=403, auditor=403)
LEAD = expect(403, head=302, deputy=302, outsider=404)

ROWS = {
    "projects:list": ("get", None, None, only(200, BUSINESS)),
    "projects:export": ("get", None, None, only(200, BUSINESS)),
    "projects:declare": ("get", None, None, only(200, BUSINESS)),
    "projects:detail": ("get", _under_way, None, SEE),
    "projects:classify": ("post", _declared, lambda c: {
        "version": _version(_declared(c)[0]), "category": "party",
        "guiding_section": c.sec_org.pk, "on": "2026-03-05"}, LEAD),
    "projects:fund": ("post", _under_way, lambda c: {
        "version": _version(_under_way(c)[0]), "funding": "10000"}, LEAD),
    "projects:finish": ("post", _under_way, lambda c: {
        "version": _version(_under_way(c)[0]), "finished_on": "2026-03-20",
        "result": "形成制度文件", "award": "first", "awarded_on": "2026-03-25"}, LEAD),
    "projects:followup": ("post", _under_way, lambda c: {
        "kind": "monthly", "on": "2026-03-10", "note": "了解进展"},
        expect(403, head=302, deputy=302, chief=302, cadre=302, outsider=404)),
    "projects:ideas": ("get", None, None, only(200, BUSINESS)),
    "projects:adoptions": ("get", None, None, only(200, BUSINESS)),
    "projects:ideas_export": ("get", None, None, only(200, BUSINESS)),
    "projects:adoptions_export": ("get", None, None, only(200, BUSINESS)),
    "projects:idea": ("get", _idea, None, SEE),
    "projects:idea_review": ("post", _idea, lambda c: {
        "version": Idea.objects.get(pk=_idea(c)[0]).version, "score": "85",
        "on": "2026-03-05", "adopted": "on", "adopted_for": "干部工作会议部署",
        "reward": "500"}, LEAD),
    "projects:coverage": ("get", None, None, only(200, BUSINESS)),
    "projects:rules": ("get", None, None, only(200, BUSINESS)),
    "api:list_projects": ("get", None, None, only(200, BUSINESS, anonymous=401)),
    "api:get_project": ("get", _under_way, None, {**SEE, None: 401}),
}
