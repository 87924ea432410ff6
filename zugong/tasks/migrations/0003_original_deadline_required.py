"""The original deadline is filled (0002); from now on every task has one. A migration of
its own, so that PostgreSQL alters the table after the data migration's transaction."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("tasks", "0002_rules_on_time"),
    ]

    operations = [
        migrations.AlterField(
            model_name="task",
            name="original_deadline",
            field=models.DateField(verbose_name="original deadline"),
        ),
    ]
