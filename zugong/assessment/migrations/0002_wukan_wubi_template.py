"""The 五看五比 template ships with the product as data."""

from django.db import migrations


def load(apps, schema_editor):
    from zugong.assessment.presets import PRESETS

    Template = apps.get_model("assessment", "Template")
    TemplateIndicator = apps.get_model("assessment", "TemplateIndicator")
    for preset in PRESETS:
        if Template.objects.filter(department__isnull=True, name=preset["name"]).exists():
            continue
        template = Template.objects.create(name=preset["name"],
                                           description=preset["description"])
        for position, (name, weight, max_score, guide, *_mark) in enumerate(
                preset["indicators"], 1):
            TemplateIndicator.objects.create(template=template, name=name, weight=weight,
                                             max_score=max_score, guide=guide,
                                             position=position)


def unload(apps, schema_editor):
    from zugong.assessment.presets import PRESETS

    Template = apps.get_model("assessment", "Template")
    Template.objects.filter(department__isnull=True,
                            name__in=[p["name"] for p in PRESETS]).delete()


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
