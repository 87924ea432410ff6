"""The Chinese names of this app's audit actions and entities (core.audit_labels).

Entities label the middle part of "<app>.<entity>.<verb>" (and the entries' object
types); actions label a whole action whose composed label would read badly, and the
notice kinds, which share the naming. The "audit" context keeps these words apart
from the same English words elsewhere in the catalogues."""

from django.utils.translation import pgettext_lazy

ENTITIES = {
    "assessment.plan": pgettext_lazy("audit", "assessment plan"),
    "assessment.indicator": pgettext_lazy("audit", "assessment indicator"),
    "assessment.template": pgettext_lazy("audit", "plan template"),
    "assessment.sheet": pgettext_lazy("audit", "scoring sheet"),
    "assessment.ballot": pgettext_lazy("audit", "ballot"),
    "assessment.codes": pgettext_lazy("audit", "outsider codes"),
    "assessment.outsider_code": pgettext_lazy("audit", "outsider code"),
    "assessment.note": pgettext_lazy("audit", "everyday note"),
    "assessment.everyday_note": pgettext_lazy("audit", "everyday note"),
    "assessment.result": pgettext_lazy("audit", "assessment result"),
    "assessment.results": pgettext_lazy("audit", "assessment results"),
    "assessment.assessee": pgettext_lazy("audit", "person assessed"),
    "assessment.adjustment": pgettext_lazy("audit", "adjustment of a result"),
    "assessment.appeal": pgettext_lazy("audit", "appeal"),
    "assessment.consequence_rule": pgettext_lazy("audit", "consequence rule"),
    "assessment.consequences": pgettext_lazy("audit", "consequences of the results"),
    "assessment.group_weight": pgettext_lazy("audit", "rater group weight"),
}

ACTIONS = {
    "assessment.plan.settings": pgettext_lazy("audit", "change the settings of an assessment plan"),
    "assessment.plan.groups": pgettext_lazy("audit", "set the rater groups of an assessment plan"),
    "assessment.plan.opened": pgettext_lazy("audit", "assessment plan opened for scoring"),
    "assessment.plan.remind": pgettext_lazy("audit", "reminder to score"),
    "assessment.ballot.cast": pgettext_lazy("audit", "voted"),
    "assessment.ballot.void": pgettext_lazy("audit", "vote voided"),
    "assessment.result.veto": pgettext_lazy("audit", "apply a veto to an assessment result"),
    "assessment.result.gap_decide": pgettext_lazy("audit", "decide on a rater-group gap"),
    "assessment.result.feedback": pgettext_lazy("audit", "give feedback on an assessment result"),
    "assessment.result.acknowledge": pgettext_lazy("audit", "acknowledge an assessment result"),
    "assessment.result.out": pgettext_lazy("audit", "assessment result published"),
    "assessment.appeal.answered": pgettext_lazy("audit", "appeal answered"),
}

FIELDS = {
    "assessment.note.on": pgettext_lazy("audit", "date of the note"),
    "assessment.note.positive": pgettext_lazy("audit", "positive or negative"),
    "assessment.note.source": pgettext_lazy("audit", "source of the note"),
    "assessment.note.text": pgettext_lazy("audit", "text of the note"),
    "assessment.plan.gaps": pgettext_lazy("audit", "rater-group gaps"),
    "assessment.plan.grades": pgettext_lazy("audit", "grades given"),
    "assessment.plan.incomplete": pgettext_lazy("audit", "sheets not handed in"),
    "assessment.plan.people": pgettext_lazy("audit", "people assessed"),
}
