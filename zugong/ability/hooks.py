"""Functions the ability app offers other apps through ``core.registry.hook`` (its
plugin's ``hooks``), so that they use its records without importing it."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from .access import Cap, has_cap
from .models import ResearchTopic
from .selectors import department_ids

TOPICS_HOOK = "ability.research_topics"


def research_topics(*, user, ids=None) -> dict[int, dict]:
    """``ability.research_topics``: the research topics (领题调研) of the user's departments,
    as {id: {"title", "year", "url"}} in one query. With ``ids`` only those: an id the user
    may not read is absent, as a missing one. Without, the topics of this year and the last
    (what a form offers). Nothing for a user who may not read ability records."""
    if not has_cap(user, Cap.ABILITY_VIEW):
        return {}
    qs = ResearchTopic.objects.filter(department_id__in=department_ids(user, Cap.ABILITY_VIEW))
    if ids is not None:
        qs = qs.filter(pk__in=[i for i in ids if i])
    else:
        qs = qs.filter(year__gte=timezone.localdate().year - 1)
    return {pk: {"title": title, "year": year, "url": reverse("ability:topic", args=[pk])}
            for pk, title, year in qs.order_by("-year", "title", "pk")
            .values_list("pk", "title", "year")}
