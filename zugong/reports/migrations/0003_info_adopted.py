"""A figure for the projects app's adoption of information items and articles by outlet
level (issue 20, point 6), registered after the catalogue was first loaded."""

from django.db import migrations

KEY = "projects.info_adopted"


def add(apps, schema_editor):
    apps.get_model("reports", "Figure").objects.get_or_create(key=KEY, defaults={
        "label": "信息与文章被采用", "unit": "条", "group": "创新", "metric_keys": [KEY],
        "audience": "", "aggregation": "sum", "rollup": "sum", "headline": False,
        "position": 865})


def remove(apps, schema_editor):
    apps.get_model("reports", "Figure").objects.filter(key=KEY).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_catalogue")]

    operations = [migrations.RunPython(add, remove)]
