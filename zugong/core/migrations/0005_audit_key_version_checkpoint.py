"""Audit entries name the key that signed them; signed checkpoints outside the chain."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _current_version(apps, schema_editor):
    # Existing entries were signed with the key that is current now (before this change
    # every entry was signed and verified with the first key).
    from zugong.core.crypto import provider

    apps.get_model("core", "AuditEntry").objects.update(
        key_version=provider().current_version)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_notice'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='auditentry',
            name='key_version',
            field=models.CharField(default='', max_length=16, verbose_name='key version'),
            preserve_default=False,
        ),
        migrations.RunPython(_current_version, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='auditentry',
            name='actor',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True,
                                    on_delete=django.db.models.deletion.DO_NOTHING,
                                    related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.CreateModel(
            name='AuditCheckpoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name='ID')),
                ('seq', models.PositiveBigIntegerField(db_index=True, verbose_name='sequence')),
                ('entry_mac', models.CharField(max_length=64)),
                ('digest', models.CharField(max_length=64)),
                ('at', models.DateTimeField(verbose_name='time')),
                ('key_version', models.CharField(max_length=16, verbose_name='key version')),
                ('signature', models.CharField(max_length=64)),
            ],
            options={
                'verbose_name': 'audit checkpoint',
                'verbose_name_plural': 'audit checkpoints',
                'ordering': ['-at', '-id'],
            },
        ),
    ]
