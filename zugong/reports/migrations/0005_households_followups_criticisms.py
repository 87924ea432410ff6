"""Figures registered after the catalogue was first loaded, and two corrections.

- ``service.households_covered``: each paired household once per month it was contacted
  (issue 20, point 8: "households covered").
- ``projects.followed_up_on_time`` and ``projects.guided_on_time``: project-months that met
  the monthly follow-up rule and project-quarters that met the on-site guidance rule
  (issue 20, point 8: "projects followed up on time").
- ``service.households_contacted`` counts contacts, not households: its unit says so.
- The two criticism figures linked to the meetings list with no filter of their own; the
  metrics now name the meetings list filtered on criticisms made or received, so the
  figures take the metric's link (which carries the unit and the dates).
"""

from django.db import migrations

FIGURES = [
    ("service.households_covered", {
        "label": "联系户走访覆盖（每户每月计一次）", "unit": "户次", "group": "为民服务",
        "metric_keys": ["service.households_covered"], "audience": "", "aggregation": "sum",
        "rollup": "sum", "headline": False, "position": 745}),
    ("projects.followed_up_on_time", {
        "label": "创新项目按月跟踪达标", "unit": "个项目月", "group": "创新",
        "metric_keys": ["projects.followed_up_on_time"], "audience": "", "aggregation": "sum",
        "rollup": "sum", "headline": False, "position": 852}),
    ("projects.guided_on_time", {
        "label": "创新项目按季实地指导达标", "unit": "个项目季", "group": "创新",
        "metric_keys": ["projects.guided_on_time"], "audience": "", "aggregation": "sum",
        "rollup": "sum", "headline": False, "position": 853}),
]
CRITICISMS = ("partylife.criticisms", "partylife.criticisms_received")


def forward(apps, schema_editor):
    Figure = apps.get_model("reports", "Figure")
    for key, defaults in FIGURES:
        Figure.objects.get_or_create(key=key, defaults=defaults)
    Figure.objects.filter(key="service.households_contacted", unit="户").update(
        label="联系结对户（次数）", unit="次")
    Figure.objects.filter(key__in=CRITICISMS, records_view="partylife:meetings").update(
        records_view="", records_params={})


def backward(apps, schema_editor):
    Figure = apps.get_model("reports", "Figure")
    Figure.objects.filter(key__in=[key for key, _defaults in FIGURES]).delete()
    Figure.objects.filter(key="service.households_contacted", unit="次").update(
        label="联系结对户", unit="户")
    Figure.objects.filter(key__in=CRITICISMS, records_view="").update(
        records_view="partylife:meetings")


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_lecture_awards_inquiry_ratings")]

    operations = [migrations.RunPython(forward, backward)]
