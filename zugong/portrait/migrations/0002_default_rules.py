"""The default rules of the portrait (docs/portrait.md, "Default rules"). They are data:
the head or the assessment office changes them on the rules page, audited."""

from decimal import Decimal

from django.db import migrations

# (dimension, source, weight, target, direction, absent_is_zero, sensitive, detail_cap)
DEFAULT_RULES = [
    # 看党性比政治素质: 第一议题 study, Party meetings attended, meetings missed.
    ("party", "learning.first_topic_attendance", 40, 12, "up", True, False, ""),
    ("party", "partylife.attended", 40, 12, "up", True, False, ""),
    ("party", "partylife.absent", 20, 3, "down", True, False, ""),
    # 看能力比业务精疏: training hours, lectures given, research, books.
    ("ability", "ability.training_hours", 30, 40, "up", True, False, ""),
    ("ability", "ability.lectures_given", 30, 2, "up", True, False, ""),
    ("ability", "ability.topics_completed", 20, 1, "up", True, False, ""),
    ("ability", "learning.books", 20, 12, "up", True, False, ""),
    # 看态度比奉献精神: study notes (M18: 20,000 characters a year), talks taken part in,
    # rectification measures closed on time.
    ("attitude", "learning.note_chars", 40, 20000, "up", True, False, ""),
    ("attitude", "talks.taken_part", 30, 2, "up", True, False, ""),
    ("attitude", "rectification.measures_closed_on_time", 30, 3, "up", True, False, ""),
    # 看作风比服务质量: service visits (M31: one a month), problems solved (M31: two),
    # and supervision measures taken with the cadre (sensitive: detail for supervision).
    ("style", "service.visits", 30, 12, "up", True, False, ""),
    ("style", "service.problems_solved", 30, 2, "up", True, False, ""),
    ("style", "supervision.measures", 40, 3, "down", True, True, "supervision.view"),
    # 看实绩比工作成效: the annual assessment score, weighted task completion (both rates:
    # a year without them says nothing), tasks done.
    ("results", "assessment.annual_score", 40, 100, "up", False, False, ""),
    ("results", "tasks.weighted_completion", 30, 100, "up", False, False, ""),
    ("results", "tasks.done", 30, 10, "up", True, False, ""),
]


def seed(apps, schema_editor):
    SourceRule = apps.get_model("portrait", "SourceRule")
    for order, (dim, source, weight, target, direction, zero, sensitive, cap) in enumerate(
            DEFAULT_RULES):
        SourceRule.objects.get_or_create(dimension=dim, source=source, defaults={
            "weight": Decimal(weight), "target": Decimal(target), "direction": direction,
            "absent_is_zero": zero, "sensitive": sensitive, "detail_cap": cap,
            "order": order})


def unseed(apps, schema_editor):
    SourceRule = apps.get_model("portrait", "SourceRule")
    for dim, source, *_rest in DEFAULT_RULES:
        SourceRule.objects.filter(dimension=dim, source=source).delete()


class Migration(migrations.Migration):
    dependencies = [("portrait", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
