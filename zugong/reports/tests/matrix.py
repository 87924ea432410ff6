"""Permission-matrix rows of the reports pages and endpoints (gathered by
tests/test_permission_matrix.py). Every business role reads figures over the people in its
own scope (a cadre their own); the head, the deputies and the assessment office keep the
catalogue and the template and refresh the summaries; administrators read nothing."""

from tests.permissions import BUSINESS, only
from zugong.reports.models import Figure, ReportTemplate

MANAGERS = ("head", "deputy", "assessor", "outsider")


def _figure(cast):
    return [Figure.objects.get(key="talks.held").pk]


def _template_body(cast):
    mine = ReportTemplate.objects.filter(department=cast.dept).first()
    return {"title": "{unit}{year}年度工作报告", "body": "# 抓学习\n学习{learning.study_hours}学时",
            "version": mine.version if mine else ""}


ROWS = {
    "reports:home": ("get", None, None, only(302, BUSINESS)),
    "reports:dashboard": ("get", None, None, only(200, BUSINESS)),
    "reports:figures": ("get", None, None, only(200, BUSINESS)),
    "reports:figures_export": ("get", None, None, only(200, BUSINESS)),
    "reports:figures_pdf": ("get", None, None, only(200, BUSINESS)),
    "reports:figure": ("get", lambda c: ["talks.held"], None, only(200, BUSINESS)),
    "reports:rollup": ("get", None, None, only(200, BUSINESS)),
    "reports:rollup_refresh": ("post", None, lambda c: {"year": "2026"}, only(302, MANAGERS)),
    "reports:annual": ("get", None, None, only(200, BUSINESS)),
    "reports:annual_docx": ("get", None, None, only(200, BUSINESS)),
    "reports:annual_template": ("post", None, _template_body, only(302, MANAGERS)),
    "reports:catalogue": ("get", None, None, only(200, BUSINESS)),
    "reports:figure_add": ("get", None, None, only(200, MANAGERS)),
    "reports:figure_edit": ("get", _figure, None, only(200, MANAGERS)),
    "api:list_report_figures": ("get", None, None, only(200, BUSINESS, anonymous=401)),
}
