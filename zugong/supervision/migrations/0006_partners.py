"""The 11 partner departments of joint supervision (M14 in DOMAIN.md): the organization
department and the discipline commission lead them. Kept as data: a department may
deactivate one or add another without a release."""

from django.db import migrations

PARTNERS = (("jwjw", "纪委监委"), ("zfw", "政法委"), ("fy", "人民法院"), ("jcy", "人民检察院"),
            ("gaj", "公安局"), ("sjj", "审计局"), ("xfj", "信访局"), ("czj", "财政局"),
            ("zrzyj", "自然资源局"), ("scjgj", "市场监管局"), ("swj", "税务局"))


def seed(apps, schema_editor):
    Partner = apps.get_model("supervision", "Partner")
    for position, (code, name) in enumerate(PARTNERS, start=1):
        Partner.objects.get_or_create(code=code, defaults={"name": name,
                                                           "position": position})


def unseed(apps, schema_editor):
    apps.get_model("supervision", "Partner").objects.filter(
        code__in=[code for code, _name in PARTNERS]).delete()


class Migration(migrations.Migration):

    dependencies = [("supervision", "0005_joint_supervision")]

    operations = [migrations.RunPython(seed, unseed)]
