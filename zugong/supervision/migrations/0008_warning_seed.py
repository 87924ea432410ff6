"""The early-warning rule as data: each signal's weight and window, and the levels."""

from django.db import migrations

RULES = (("measure", 2, 12), ("report_overdue", 2, 12), ("selfcheck_overdue", 1, 12),
         ("observation", 1, 12), ("learning", 1, 12), ("tasks", 1, 12), ("notes", 2, 12))
LEVELS = (("黄色预警", 2), ("橙色预警", 4), ("红色预警", 6))


def seed(apps, schema_editor):
    rule = apps.get_model("supervision", "WarningRule")
    level = apps.get_model("supervision", "WarningLevel")
    for signal, weight, months in RULES:
        rule.objects.get_or_create(signal=signal, defaults={"weight": weight,
                                                            "months": months})
    for name, score in LEVELS:
        level.objects.get_or_create(min_score=score, defaults={"name": name})


def unseed(apps, schema_editor):
    apps.get_model("supervision", "WarningRule").objects.all().delete()
    apps.get_model("supervision", "WarningLevel").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [("supervision", "0007_warning_rules")]

    operations = [migrations.RunPython(seed, unseed)]
