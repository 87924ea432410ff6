from django.db import migrations


def load(apps, schema_editor):
    from zugong.core.dictionaries import load_dictionaries

    load_dictionaries(apps.get_model("core", "DictItem"))


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
