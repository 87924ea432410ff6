"""Figures added after the catalogue was first loaded: the lecture series' awards of each
term (issue 19) and the public's ratings of the first-inquiry service (issue 20, point 7;
the satisfaction share is the second over the first)."""

from django.db import migrations

FIGURES = [
    ("ability.lecture_awards", {
        "label": "组工讲堂评优获奖人次", "unit": "人次", "group": "能力",
        "metric_keys": ["ability.lecture_awards"], "audience": "", "aggregation": "sum",
        "rollup": "sum", "headline": False, "position": 545}),
    ("tasks.inquiries_public_rated", {
        "label": "首问服务群众评价件数", "unit": "件", "group": "为民服务",
        "metric_keys": ["tasks.inquiries_public_rated"], "audience": "", "aggregation": "sum",
        "rollup": "sum", "headline": False, "position": 775}),
    ("tasks.inquiries_public_satisfied", {
        "label": "首问服务群众评价满意件数", "unit": "件", "group": "为民服务",
        "metric_keys": ["tasks.inquiries_public_satisfied"], "audience": "",
        "aggregation": "sum", "rollup": "sum", "headline": False, "position": 776}),
]


def add(apps, schema_editor):
    Figure = apps.get_model("reports", "Figure")
    for key, defaults in FIGURES:
        Figure.objects.get_or_create(key=key, defaults=defaults)


def remove(apps, schema_editor):
    apps.get_model("reports", "Figure").objects.filter(
        key__in=[key for key, _defaults in FIGURES]).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_info_adopted")]

    operations = [migrations.RunPython(add, remove)]
