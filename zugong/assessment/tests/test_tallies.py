"""Tallies of anonymous ballots: a sheet that cannot be counted takes its "has voted" mark
back, and the migration folds the ballots kept before into tallies with the same results."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from zugong.assessment import events, services
from zugong.assessment.models import RaterGroup, Tally, Voted
from zugong.assessment.services import sheets
from zugong.core.models import AuditEntry

from .helpers import WINDOW_DAY, annual_plan, open_plan, section, sheet_values


def test_a_sheet_the_tallies_refuse_takes_back_its_mark_and_can_be_cast_again(cast,
                                                                            monkeypatch):
    unit, people = section(cast, size=3)
    plan = annual_plan(cast, unit, groups={RaterGroup.HEAD: 50, RaterGroup.DEMOCRATIC: 50})
    open_plan(cast, plan)
    values = sheet_values(plan, {p: (80, 8) for p in people})

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(sheets, "_add_to_tallies", broken)
    with pytest.raises(RuntimeError):
        services.ballots_submit(by=cast["cadre"], plan=plan, group=RaterGroup.DEMOCRATIC,
                                values=values, today=WINDOW_DAY)
    assert not Voted.objects.exists()
    assert not Tally.objects.filter(count__gt=0).exists()
    void = AuditEntry.objects.get(action=events.BALLOT_VOID)
    assert void.after == {"group": "democratic"} and void.actor == cast["cadre"]
    monkeypatch.undo()
    services.ballots_submit(by=cast["cadre"], plan=plan, group=RaterGroup.DEMOCRATIC,
                            values=values, today=WINDOW_DAY)
    assert Voted.objects.count() == 1
    assert set(Tally.objects.values_list("total", "count")) == {(Decimal(80), 1),
                                                                (Decimal(8), 1)}


def test_a_plan_opens_with_a_zero_tally_for_every_person_indicator_and_anonymous_group(cast):
    unit, people = section(cast, size=3)
    plan = annual_plan(cast, unit, groups={RaterGroup.HEAD: 40, RaterGroup.PEERS: 30,
                                           RaterGroup.OUTSIDERS: 30})
    open_plan(cast, plan)
    rows = list(Tally.objects.order_by("pk").values_list("assessee_id", "indicator__position",
                                                         "group", "count"))
    # In the order of people and indicators, before anyone voted: the keys say nothing
    # about the order of the votes.
    keys = [r[:2] for r in rows]
    assert keys == sorted(keys) and len(rows) == 3 * 2 * 2
    assert {r[2] for r in rows} == {"peers", "outsiders"} and {r[3] for r in rows} == {0}


# Per person (of four): the head's (A, B), then the two democratic ballots' (A, B).
ROWS = [((98, 10), (90, 9), (94, 9)), ((96, 9), (96, 9.5), (91.5, 9)),
        ((70, 6), (80, 7.25), (60, 5)), ((90, 8), (85, 8), (99.99, 10))]


@pytest.mark.django_db(transaction=True)
def test_the_migration_folds_kept_ballots_into_tallies_and_the_results_stay_the_same(cast):
    unit, people = section(cast, size=4)
    plan = annual_plan(cast, unit)
    open_plan(cast, plan)
    rows = list(zip(people, ROWS, strict=True))
    services.scores_submit(by=cast["head"], plan=plan, group=RaterGroup.HEAD,
                           values=sheet_values(plan, {p: r[0] for p, r in rows}),
                           today=WINDOW_DAY)
    for voter, column in (("cadre", 1), ("cadre2", 2)):
        services.ballots_submit(by=cast[voter], plan=plan, group=RaterGroup.DEMOCRATIC,
                                values=sheet_values(plan, {p: r[column] for p, r in rows}),
                                today=WINDOW_DAY)
    plan.refresh_from_db()
    expected = [(a.person_id, a.score, a.grade, a.detail) for a in services.compute(plan)]
    tallies = set(Tally.objects.values_list("assessee_id", "indicator_id", "group", "total",
                                            "count"))

    # Back to the schema that kept one row per ballot, holding the same two sheets.
    executor = MigrationExecutor(connection)
    executor.migrate([("assessment", "0003_rules_issue15")])
    old = executor.loader.project_state(("assessment", "0003_rules_issue15")).apps
    Ballot = old.get_model("assessment", "Ballot")
    indicators = list(plan.indicators.order_by("position", "id").values_list("pk", flat=True))
    assessees = dict(plan.assessees.values_list("person_id", "pk"))
    Ballot.objects.bulk_create([
        Ballot(assessee_id=assessees[p.pk], group=RaterGroup.DEMOCRATIC,
               values={str(i): str(v) for i, v in zip(indicators, r[column], strict=True)})
        for column in (1, 2) for p, r in rows])

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert "assessment_ballot" not in connection.introspection.table_names()
    assert set(Tally.objects.values_list("assessee_id", "indicator_id", "group", "total",
                                         "count")) == tallies
    plan.refresh_from_db()
    assert [(a.person_id, a.score, a.grade, a.detail)
            for a in services.compute(plan)] == expected


# ---------------------------------------------------------------- notes encrypted at rest


def _raw(table: str, column: str, pk: int):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_veto_notes_and_everyday_notes_are_encrypted_at_rest(cast):
    import datetime as dt

    from zugong.assessment.models import Assessee, EverydayNote

    unit, people = section(cast, size=2)
    plan = annual_plan(cast, unit, groups={RaterGroup.HEAD: 100})
    open_plan(cast, plan)
    a = plan.assessees.get(person=people[0])
    services.veto_set(by=cast["assessor"], assessee=a, political_failed=False,
                      admonished=True, note="年内受到诫勉谈话")
    note = services.everyday_note_add(by=None, person=people[1], on=dt.date(2026, 3, 1),
                                      positive=False, text="家人重病，请假较多")
    services.scores_submit(by=cast["head"], plan=plan, group=RaterGroup.HEAD,
                           values=sheet_values(plan, {p: (90, 9) for p in people}),
                           today=WINDOW_DAY)
    plan.refresh_from_db()
    services.plan_close(by=cast["assessor"], plan=plan, version=plan.version)
    assert "诫勉谈话" not in str(_raw("assessment_assessee", "veto_note", a.pk))
    assert "诫勉谈话" not in str(_raw("assessment_assessee", "detail", a.pk))
    assert "家人重病" not in str(_raw("assessment_everydaynote", "text", note.pk))
    a = Assessee.objects.get(pk=a.pk)
    assert a.veto_note == "年内受到诫勉谈话" and a.vetoed
    assert a.veto_sources == [{"reason": "admonished", "source": "manual",
                               "text": "年内受到诫勉谈话"}]
    assert EverydayNote.objects.get(pk=note.pk).text == "家人重病，请假较多"
    assert "家人重病" not in str(note)


def test_the_migration_encrypts_the_notes_kept_in_the_clear(cast):
    import datetime as dt
    import importlib
    import json

    from zugong.assessment.models import Assessee, EverydayNote

    migration = importlib.import_module("zugong.assessment.migrations.0005_encrypted_notes")
    unit, people = section(cast, size=1)
    plan = annual_plan(cast, unit, groups={RaterGroup.HEAD: 100})
    a = plan.assessees.get()
    note = services.everyday_note_add(by=None, person=people[0], on=dt.date(2026, 3, 1),
                                      positive=True, text="牵头完成换届材料审核")
    detail = {"veto_sources": [{"reason": "admonished", "source": "manual",
                                "text": "年内受到诫勉谈话"},
                               {"reason": "punishment", "source": "A14", "text": "警告"}]}
    cast_json = "::jsonb" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:  # as they were kept before the migration
        cursor.execute(f"UPDATE assessment_assessee SET veto_note = %s, detail = %s{cast_json}"
                       " WHERE id = %s",
                       ["年内受到诫勉谈话", json.dumps(detail, ensure_ascii=False), a.pk])
        cursor.execute("UPDATE assessment_everydaynote SET text = %s WHERE id = %s",
                       ["牵头完成换届材料审核", note.pk])
    migration.encrypt_notes(None, None)
    migration.encrypt_notes(None, None)  # twice changes nothing
    assert "诫勉" not in str(_raw("assessment_assessee", "veto_note", a.pk))
    assert "诫勉" not in str(_raw("assessment_assessee", "detail", a.pk))
    assert "换届" not in str(_raw("assessment_everydaynote", "text", note.pk))
    a = Assessee.objects.get(pk=a.pk)
    assert a.veto_note == "年内受到诫勉谈话"
    assert a.veto_sources[0]["text"] == "年内受到诫勉谈话"
    assert a.veto_sources[1] == {"reason": "punishment", "source": "A14", "text": "警告"}
    assert EverydayNote.objects.get(pk=note.pk).text == "牵头完成换届材料审核"
