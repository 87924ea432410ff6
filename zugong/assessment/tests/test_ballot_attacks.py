"""Attacks on the anonymity of ballots (issue 13, point 1), on SQLite and PostgreSQL.

Four voters of one section each cast a peer sheet and a democratic sheet. Every voter gives
scores no one else gives and no sum or mean of others' scores equals, so a row that holds
one of them holds that voter's own ballot. Each attack reads the database as it is kept
(physical row order, PostgreSQL transaction ids, the audit chain) the way someone with a
copy of it would, and guesses whose ballot a row is. The tests assert that no guess
recovers a voter's score: with tallies no row holds one.

Transactional tests: the votes commit as they do in production, so the transaction ids
PostgreSQL stamps on rows are the real ones.
"""

import json
from decimal import Decimal, InvalidOperation

import pytest
from django.db import connection

from zugong.assessment import events, services
from zugong.assessment.models import RaterGroup, Voted
from zugong.core.models import AuditEntry
from zugong.people import services as people_services
from zugong.people.models import Role, Scope

from .helpers import WINDOW_DAY, annual_plan, open_plan, section, sheet_values

pytestmark = pytest.mark.django_db(transaction=True)

# Voter k gives SCORES[k] (indicator A of 100, indicator B of 10) to everyone on the sheet.
SCORES = [("61.17", "1.13"), ("70.23", "2.71"), ("83.41", "3.39"), ("97.89", "5.87")]
POSTGRES = connection.vendor == "postgresql"


@pytest.fixture
def box(cast):
    """A plan whose four assessees all voted, in order, as peers and in the democratic
    evaluation: (plan, voters in voting order, assessee id of each voter)."""
    unit, people = section(cast, size=4)
    plan = annual_plan(cast, unit, groups={RaterGroup.HEAD: 40, RaterGroup.PEERS: 30,
                                           RaterGroup.DEMOCRATIC: 30})
    open_plan(cast, plan)
    voters = []
    for k, person in enumerate(people):
        user, _pw = people_services.account_create(
            by=None, username=f"voter{k}", person=person, password="Cast#Pass2026",
            must_change=False)
        people_services.role_grant(by=None, user=user, role=Role.CADRE, scope=Scope.SELF)
        voters.append(user)
    own = {a.person_id: a.pk for a in plan.assessees.all()}
    for k, (user, person) in enumerate(zip(voters, people, strict=True)):
        others = {p: SCORES[k] for p in people if p != person}
        for group in (RaterGroup.DEMOCRATIC, RaterGroup.PEERS):
            services.ballots_submit(by=user, plan=plan, group=group,
                                    values=sheet_values(plan, others), today=WINDOW_DAY)
    return plan, voters, [own[p.pk] for p in people]


# ---------------------------------------------------------------- what an attacker reads


def _leaves(value):
    """The scalar values a column holds, JSON opened up."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            value = json.loads(value)
        except ValueError:
            return [value]
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v)]
    return [value]


def _numbers(row) -> set[Decimal]:
    out = set()
    for leaf in (leaf for value in row for leaf in _leaves(value)):
        if isinstance(leaf, bool) or leaf is None:
            continue
        try:
            out.add(Decimal(str(leaf)))
        except InvalidOperation:
            continue
    return out


def dump(table: str) -> list[dict]:
    """A table's rows in the order they lie in the file (SQLite rowid, PostgreSQL ctid),
    with the id of the transaction that wrote each (PostgreSQL xmin)."""
    qn = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        if POSTGRES:
            cursor.execute(f"SELECT xmin::text::bigint, * FROM {qn} ORDER BY ctid")
        else:
            cursor.execute(f"SELECT NULL, * FROM {qn} ORDER BY rowid")
        names = [c[0] for c in cursor.description][1:]
        rows = cursor.fetchall()
    return [{"xmin": r[0], "cols": dict(zip(names, r[1:], strict=True)),
             "numbers": _numbers(r[1:])} for r in rows]


def assessment_tables() -> dict[str, list[dict]]:
    return {t: dump(t) for t in connection.introspection.table_names()
            if t.startswith("assessment_")}


def holds_ballot_of(rows: list[dict], k: int) -> bool:
    """Whether these rows hold voter k's own scores (the judge; attackers never see it)."""
    mine = {Decimal(s) for s in SCORES[k]}
    return any(row["numbers"] & mine for row in rows)


def _blocks(rows: list[dict], size: int) -> list[list[dict]]:
    return [rows[i:i + size] for i in range(0, len(rows), size)] if size else []


def _voting_order(plan) -> list[int]:
    """Who voted, in order: the "has voted" marks are public to this attacker."""
    return list(Voted.objects.filter(plan=plan, group=RaterGroup.DEMOCRATIC)
                .order_by("pk").values_list("voter_id", flat=True))


# ---------------------------------------------------------------- the attacks


def test_attack_row_order_does_not_link_a_ballot_to_its_voter(box):
    """(a) Rows lie in the order they were written: cut every table into as many equal
    runs as there were voters and give the k-th run to the k-th voter."""
    plan, voters, _own = box
    order = _voting_order(plan)
    assert order == [v.pk for v in voters]
    linked = []
    for table, rows in assessment_tables().items():
        if len(rows) < len(order) or len(rows) % len(order):
            continue
        for k, block in enumerate(_blocks(rows, len(rows) // len(order))):
            if holds_ballot_of(block, k):
                linked.append((table, k))
    assert not linked, f"row order gives away the ballots of {linked}"


def test_attack_the_colleague_a_peer_sheet_leaves_out_is_not_linked_to_a_ballot(box):
    """(b) A sheet rates everyone but its voter: find runs of rows (one per colleague but
    one, or one PostgreSQL transaction) that name all colleagues but one, and give their
    scores to the one left out."""
    plan, voters, own = box
    section = set(own)
    linked = []
    for table, rows in assessment_tables().items():
        if not rows or "assessee_id" not in rows[0]["cols"]:
            continue
        candidates = _blocks(rows, len(section) - 1)
        if POSTGRES:
            by_xmin: dict = {}
            for row in rows:
                by_xmin.setdefault(row["xmin"], []).append(row)
            candidates += list(by_xmin.values())
        for sheet in candidates:
            named = {row["cols"]["assessee_id"] for row in sheet}
            missing = section - named
            if named <= section and len(missing) == 1:
                k = own.index(missing.pop())
                if holds_ballot_of(sheet, k):
                    linked.append((table, k))
    assert not linked, f"the colleague a sheet leaves out gives away {linked}"


@pytest.mark.skipif(not POSTGRES, reason="transaction ids on rows are PostgreSQL's (xmin)")
def test_attack_postgresql_transaction_ids_do_not_link_a_ballot_to_its_voter(box):
    """(c) Rows written by one transaction carry its id (xmin): the rows written by the
    transaction of a voter's "has voted" mark, or by the very next one, are taken as that
    voter's ballot."""
    plan, voters, _own = box
    tables = assessment_tables()
    marks = {row["cols"]["voter_id"]: row["xmin"] for row in tables.pop("assessment_voted")}
    linked = []
    for k, voter in enumerate(voters):
        near = {marks[voter.pk], marks[voter.pk] + 1}
        for table, rows in tables.items():
            if holds_ballot_of([r for r in rows if r["xmin"] in near], k):
                linked.append((table, k))
    assert not linked, f"transaction ids give away {linked}"


def test_attack_the_audit_chain_does_not_link_a_ballot_to_its_voter(box):
    """(d) The audit chain says who voted when: read what its entries hold, line its vote
    entries up with the runs of rows (as in a), and on PostgreSQL take the rows written by
    the transaction of each vote entry or the next one."""
    plan, voters, _own = box
    audit = dump(AuditEntry._meta.db_table)
    entries = list(AuditEntry.objects.filter(action=events.BALLOT_CAST, object_id=str(plan.pk))
                   .order_by("seq"))
    assert len(entries) == 2 * len(voters)
    # What the entries hold: that someone voted in a group, never for whom or how.
    assert {tuple(sorted(e.after)) for e in entries} == {("group",)}
    leaked = [k for k in range(len(voters)) if holds_ballot_of(audit, k)]
    assert not leaked, f"the audit log holds the ballots of {leaked}"
    order = list(dict.fromkeys(e.actor_id for e in entries))
    assert order == [v.pk for v in voters]
    xmin_of = {row["cols"]["seq"]: row["xmin"] for row in audit}
    linked = []
    for table, rows in assessment_tables().items():
        if len(rows) >= len(order) and not len(rows) % len(order):
            for k, block in enumerate(_blocks(rows, len(rows) // len(order))):
                if holds_ballot_of(block, k):
                    linked.append(("order", table, k))
        if POSTGRES:
            for e in entries:
                k = order.index(e.actor_id)
                near = {xmin_of[e.seq], xmin_of[e.seq] + 1}
                if holds_ballot_of([r for r in rows if r["xmin"] in near], k):
                    linked.append(("xmin", table, k))
    assert not linked, f"the audit chain lines up with {linked}"


def test_the_tallies_still_give_each_group_its_mean(box):
    """The attacks find nothing because nothing individual is kept, yet every ballot
    counts: each person's peer and democratic tallies hold the other three voters."""
    plan, _voters, own = box
    from zugong.assessment.models import Tally

    for k, a_id in enumerate(own):
        others = [SCORES[j] for j in range(4) if j != k]
        for group in (RaterGroup.PEERS, RaterGroup.DEMOCRATIC):
            cells = Tally.objects.filter(assessee_id=a_id, group=group).order_by(
                "indicator__position")
            assert [(c.total, c.count) for c in cells] == [
                (sum(Decimal(s[0]) for s in others), 3), (sum(Decimal(s[1]) for s in others), 3)]
