"""Per-department rule sets (docs/portrait.md): a department key on the rules, and the
五型机关 mapping as data (TypeRule) with the mapping that was a constant as its default."""

import django.db.models.deletion
from django.db import migrations, models


# The mapping that was ``FIVE_TYPES`` in selectors.py: type -> metric keys.
DEFAULT_TYPES = [
    ("learning", ["learning.study_hours"]),
    ("clean", ["supervision.package_items_done"]),
    ("service", ["service.problems_solved"]),
    ("innovative", ["projects.declared"]),
    ("harmonious", ["care.participations"]),
]


def seed_types(apps, schema_editor):
    TypeRule = apps.get_model("portrait", "TypeRule")
    for kind, keys in DEFAULT_TYPES:
        TypeRule.objects.get_or_create(department=None, kind=kind,
                                       defaults={"metric_keys": keys})


def drop_department_sets(apps, schema_editor):
    # Going back to one shared set: the departments' own rows cannot survive the old
    # (dimension, source) uniqueness, and the defaults are what the old code read.
    apps.get_model("portrait", "SourceRule").objects.filter(department__isnull=False).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0006_merge_20261203_2100'),
        ('portrait', '0002_default_rules'),
    ]

    operations = [
        migrations.CreateModel(
            name='TypeRule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('learning', 'Learning'), ('clean', 'Clean'), ('service', 'Service'), ('innovative', 'Innovative'), ('harmonious', 'Harmonious')], max_length=12, verbose_name='type')),
                ('metric_keys', models.JSONField(default=list, verbose_name='figures')),
                ('version', models.PositiveIntegerField(default=1)),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'verbose_name': 'five-type figure',
                'verbose_name_plural': 'five-type figures',
            },
        ),
        migrations.RemoveConstraint(
            model_name='sourcerule',
            name='portrait_rule_unique_source',
        ),
        migrations.AddField(
            model_name='sourcerule',
            name='department',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='people.orgunit', verbose_name='department'),
        ),
        migrations.AddConstraint(
            model_name='sourcerule',
            constraint=models.UniqueConstraint(fields=('department', 'dimension', 'source'), name='portrait_rule_unique_dept_source'),
        ),
        migrations.AddConstraint(
            model_name='sourcerule',
            constraint=models.UniqueConstraint(condition=models.Q(('department__isnull', True)), fields=('dimension', 'source'), name='portrait_rule_unique_default_source'),
        ),
        migrations.AddField(
            model_name='typerule',
            name='department',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='people.orgunit', verbose_name='department'),
        ),
        migrations.AddConstraint(
            model_name='typerule',
            constraint=models.UniqueConstraint(fields=('department', 'kind'), name='portrait_type_unique_dept_kind'),
        ),
        migrations.AddConstraint(
            model_name='typerule',
            constraint=models.UniqueConstraint(condition=models.Q(('department__isnull', True)), fields=('kind',), name='portrait_type_unique_default_kind'),
        ),
        migrations.RunPython(seed_types, drop_department_sets),
    ]
