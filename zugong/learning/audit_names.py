"""The Chinese names of this app's audit actions and entities (core.audit_labels).

Entities label the middle part of "<app>.<entity>.<verb>" (and the entries' object
types); actions label a whole action whose composed label would read badly, and the
notice kinds, which share the naming. The "audit" context keeps these words apart
from the same English words elsewhere in the catalogues."""

from django.utils.translation import pgettext_lazy

ENTITIES = {
    "learning.record": pgettext_lazy("audit", "learning record"),
    "learning.learning_record": pgettext_lazy("audit", "learning record"),
    "learning.first_topic": pgettext_lazy("audit", "first-topic study"),
    "learning.reading_item": pgettext_lazy("audit", "book read"),
    "learning.material": pgettext_lazy("audit", "study material"),
    "learning.study_material": pgettext_lazy("audit", "study material"),
    "learning.copy_flag": pgettext_lazy("audit", "suspected copy"),
    "learning.regime": pgettext_lazy("audit", "learning regime"),
    "learning.rule": pgettext_lazy("audit", "learning rule"),
    "learning.regime_rule": pgettext_lazy("audit", "learning rule"),
    "learning.exemption": pgettext_lazy("audit", "learning exemption"),
    "learning.calendar_day": pgettext_lazy("audit", "working calendar day"),
}

ACTIONS = {
    "learning.progress.behind": pgettext_lazy("audit", "behind on learning"),
    "learning.section.behind": pgettext_lazy("audit", "section behind on learning"),
    "learning.rule.change": pgettext_lazy("audit", "change a learning rule"),
    "learning.rule.retire": pgettext_lazy("audit", "retire a learning rule"),
}
