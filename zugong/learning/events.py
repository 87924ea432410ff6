"""Names of the learning area's audit actions and notice kinds: ``learning.<entity>.<verb>``;
and of its memo scopes (``core.memo``)."""

RECORD_CREATE = "learning.record.create"
RECORD_UPDATE = "learning.record.update"
RECORD_DELETE = "learning.record.delete"
RECORD_REOPEN = "learning.record.reopen"
RECORD_CONFIRM = "learning.record.confirm"
RECORD_RETURN = "learning.record.return"
RECORD_EXPORT = "learning.record.export"
FIRST_TOPIC_RECORD = "learning.first_topic.record"
READING_ITEM_ADD = "learning.reading_item.add"
MATERIAL_ADD = "learning.material.add"
COPY_FLAG_REVIEW = "learning.copy_flag.review"
REGIME_CREATE = "learning.regime.create"
REGIME_UPDATE = "learning.regime.update"
RULE_ADD = "learning.rule.add"
RULE_CHANGE = "learning.rule.change"
RULE_RETIRE = "learning.rule.retire"
EXEMPTION_ADD = "learning.exemption.add"
CALENDAR_DAY_SET = "learning.calendar_day.set"

# Notice kinds.
NOTICE_BEHIND = "learning.progress.behind"
NOTICE_SECTION_BEHIND = "learning.section.behind"

# Memo scopes (core.memo). The regimes, their rules and the calendar change a few times a
# year and every judgement reads them: each service that writes one bumps RULES_SCOPE.
RULES_SCOPE = "learning:rules"


# Every learning record at once: bumped when the summaries are rebuilt (records written
# around the services).
RECORDS_SCOPE = "learning:records"


def person_scope(person_id: int) -> str:
    """The memo scope of one person's learning records and exemptions: every write to them
    (``summaries.refresh``, ``exemption_add``) bumps it, and the person's own progress is
    kept under it."""
    return f"learning:person:{person_id}"


def exemption_scope(person_id: int) -> str:
    """The memo scope of one person's exemptions alone (``exemption_add`` bumps it with
    ``person_scope``): their progress's targets are kept under it while records come in."""
    return f"learning:exemptions:{person_id}"
