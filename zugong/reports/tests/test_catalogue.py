"""The catalogue covers the metrics registry: every registered metric is in some figure or
in the justified exclusion list, and every figure names metrics that exist."""

import pytest
from django.core.exceptions import ValidationError

from zugong.core import metrics
from zugong.reports import annual
from zugong.reports.catalogue import EXCLUDED
from zugong.reports.models import Figure, ReportTemplate

pytestmark = pytest.mark.django_db


def test_every_registered_metric_is_in_a_figure_or_excluded_with_a_reason():
    covered = {key for f in Figure.objects.all() for key in f.metric_keys}
    registered = {m.key for m in metrics.registered()}
    assert registered - covered - set(EXCLUDED) == set()
    # An exclusion names a real metric, says why, and is not quietly in a figure as well.
    assert set(EXCLUDED) <= registered
    assert all(len(str(reason)) >= 8 for reason in EXCLUDED.values())
    assert not covered & set(EXCLUDED)


def test_every_figure_names_metrics_that_exist_and_validates():
    figures = list(Figure.objects.all())
    assert len(figures) > 100
    for figure in figures:
        assert all(metrics.exists(k) for k in figure.metric_keys), figure.key
        figure.full_clean()


def test_the_figures_the_seeds_quote_are_preloaded():
    keys = set(Figure.objects.values_list("key", flat=True))
    quoted = {
        "learning.articles", "learning.articles_national", "learning.articles_provincial",
        "learning.articles_prefectural", "learning.articles_county",  # by media level
        "ability.lectures_given", "ability.lecturers", "ability.lectures_attended",
        "talks.held", "service.problems_solved", "rectification.problems",
        "partylife.criticisms", "rectification.measures", "ability.mentoring_pairs",
        "care.activities_organized", "care.participations", "care.participants",
        "care.birthdays_marked",
    }
    assert quoted <= keys


def test_a_figure_with_an_unknown_metric_or_two_metrics_counting_people_is_refused():
    bad = Figure(key="x.bad", label="坏", metric_keys=["no.such"])
    with pytest.raises(ValidationError) as exc:
        bad.full_clean()
    assert "no.such" in str(exc.value)
    two = Figure(key="x.two", label="二", aggregation="people",
                 metric_keys=["talks.held", "service.visits"])
    with pytest.raises(ValidationError):
        two.full_clean()


def test_the_default_template_follows_seed_000_and_names_only_known_figures():
    template = ReportTemplate.objects.get(department__isnull=True)
    _opening, parts = annual.sections(template.body, {})
    assert [p.title[:3] for p in parts] == ["抓学习", "抓实干", "抓管理"]
    keys = set(Figure.objects.values_list("key", flat=True)) | {"unit", "year"}
    assert annual.placeholders(template.body) <= keys
    assert annual.placeholders(template.body) - {"unit", "year"}
