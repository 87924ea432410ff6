"""The talks app's moves (UnitChange) become the people app's post history, the one
dated record of units, categories, posts and roles that talks and learning both read."""

import datetime as dt
from collections import defaultdict

from django.db import migrations


def forward(apps, schema_editor):
    UnitChange = apps.get_model("talks", "UnitChange")
    PostHistory = apps.get_model("people", "PostHistory")
    Person = apps.get_model("people", "Person")
    RoleAssignment = apps.get_model("people", "RoleAssignment")
    moves = defaultdict(list)
    for move in UnitChange.objects.order_by("person_id", "on", "id"):
        moves[move.person_id].append(move)
    if not moves:
        return
    roles = defaultdict(list)
    for person_id, role in RoleAssignment.objects.filter(
            user__person_id__in=list(moves)).values_list("user__person_id", "role"):
        roles[person_id].append(role)
    rows = []
    for person in Person.objects.filter(pk__in=list(moves)):
        # Two moves on one day: the person went from the first one's unit to the last
        # one's.
        by_day = {}
        for move in moves[person.pk]:
            first = by_day.get(move.on)
            by_day[move.on] = (first[0] if first else move.from_unit_id, move)
        days = sorted(by_day)
        common = {"person_id": person.pk, "category": person.category,
                  "post": person.current_post, "roles": sorted(roles[person.pk])}
        rows.append(PostHistory(valid_from=None, valid_to=days[0] - dt.timedelta(days=1),
                                unit_id=by_day[days[0]][0], **common))
        for i, day in enumerate(days):
            came_from, move = by_day[day]
            until = days[i + 1] - dt.timedelta(days=1) if i + 1 < len(days) else None
            rows.append(PostHistory(valid_from=day, valid_to=until, unit_id=move.to_unit_id,
                                    moved_from_id=came_from,
                                    recorded_by_id=move.recorded_by_id,
                                    created_at=move.created_at, **common))
    PostHistory.objects.bulk_create(rows)


def backward(apps, schema_editor):
    UnitChange = apps.get_model("talks", "UnitChange")
    PostHistory = apps.get_model("people", "PostHistory")
    UnitChange.objects.bulk_create([
        UnitChange(person_id=row.person_id, on=row.valid_from, from_unit_id=row.moved_from_id,
                   to_unit_id=row.unit_id, recorded_by_id=row.recorded_by_id,
                   created_at=row.created_at)
        for row in PostHistory.objects.filter(moved_from__isnull=False,
                                              valid_from__isnull=False)])


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0005_post_history"),
        ("talks", "0002_talk_rules"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.DeleteModel(name="UnitChange"),
    ]
