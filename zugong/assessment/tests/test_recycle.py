"""Deleted indicators go to the recycle bin and come back only into a plan in preparation."""

import pytest
from django.urls import reverse

from zugong.assessment import services
from zugong.assessment.models import Indicator, Plan, PlanStatus, RaterGroup
from zugong.core.models import RecycledRecord

from .matrix import _plan

pytestmark = pytest.mark.django_db


def _bin_entry(indicator_pk):
    return RecycledRecord.objects.get(model="assessment.indicator", object_pk=str(indicator_pk))


def test_an_indicator_is_restored_only_while_its_plan_is_a_draft(cast, client):
    plan = _plan(cast, "回收站方案", groups={RaterGroup.HEAD: 60, RaterGroup.DEMOCRATIC: 40})
    kept = services.indicator_add(by=None, plan=plan, name="工作实绩", weight=10)
    gone = services.indicator_add(by=None, plan=plan, name="廉洁自律", weight=10)
    kept_pk, gone_pk = kept.pk, gone.pk
    services.indicator_delete(by=cast["assessor"], indicator=kept)
    services.indicator_delete(by=cast["assessor"], indicator=gone)
    entry = _bin_entry(kept_pk)
    assert (entry.cap, entry.department_id) == ("assessment.manage", cast.dept.pk)

    client.force_login(cast["assessor"])
    assert "工作实绩" in client.get(reverse("console:recycle")).content.decode()
    client.post(reverse("console:recycle_restore", args=[entry.pk]))
    assert Indicator.objects.get(pk=kept_pk).plan_id == plan.pk

    # Scoring has begun (opening itself is tested elsewhere): indicators are fixed now.
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.SCORING)
    response = client.post(reverse("console:recycle_restore", args=[_bin_entry(gone_pk).pk]),
                           follow=True)
    assert "方案已不在准备阶段" in response.content.decode()
    assert not Indicator.objects.filter(pk=gone_pk).exists()
    assert RecycledRecord.objects.filter(object_pk=str(gone_pk)).exists()
