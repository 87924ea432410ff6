"""The figures the projects app offers to reports and the assessment (registry keys
``projects.*``): follow-ups and on-site guidance by the cadre who made them, projects
declared and awards won by the cadre who declared them."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zugong.core.metrics import Metric

from .models import FollowUpKind, IdeaStatus

TIMES = pgettext_lazy("projects", "times")
PROJECTS = pgettext_lazy("projects", "projects")
ITEMS = pgettext_lazy("projects", "items")

METRICS = [
    Metric(key="projects.followups", label=_("innovation project follow-ups"), unit=TIMES,
           model="projects.FollowUp", date_field="on", records_view="projects:coverage"),
    Metric(key="projects.onsite_guidance", label=_("on-site guidance of innovation projects"),
           unit=TIMES, model="projects.FollowUp", date_field="on",
           filters={"kind": FollowUpKind.ONSITE}, records_view="projects:coverage"),
    Metric(key="projects.declared", label=_("innovation projects declared"), unit=PROJECTS,
           model="projects.InnovationProject", person_field="declared_by",
           date_field="declared_on", records_view="projects:list"),
    Metric(key="projects.awarded", label=_("work innovation awards won"), unit=PROJECTS,
           model="projects.InnovationProject", person_field="declared_by",
           date_field="awarded_on", filters={"award__gt": ""},
           records_view="projects:list", records_params={"status": "finished"}),
    Metric(key="projects.ideas_submitted",
           label=_("good ideas, proposals and information submitted"), unit=ITEMS,
           model="projects.Idea", date_field="on", records_view="projects:ideas"),
    Metric(key="projects.ideas_adopted", label=_("ideas and information adopted"),
           unit=ITEMS, model="projects.Idea", date_field="adopted_on",
           filters={"status": IdeaStatus.ADOPTED}, records_view="projects:ideas",
           records_params={"status": "adopted"}),
    Metric(key="projects.info_adopted",
           label=_("information items and articles adopted by outlets"), unit=ITEMS,
           model="projects.Adoption", date_field="on", records_view="projects:adoptions"),
]
