"""Figures added after the catalogue was first loaded: the lecture series' awards of each
term (issue 19)."""

from django.db import migrations

FIGURES = [
    ("ability.lecture_awards", {
        "label": "组工讲堂评优获奖人次", "unit": "人次", "group": "能力",
        "metric_keys": ["ability.lecture_awards"], "audience": "", "aggregation": "sum",
        "rollup": "sum", "headline": False, "position": 545}),
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
