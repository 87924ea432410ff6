"""Permission-matrix rows of the care pages and endpoints (gathered by
tests/test_permission_matrix.py). Everyone in the business reads activities, birthdays and
leave in their scope; leaders record them; health and hardship records are read only by
the head and the deputy head (care.sensitive) over people in scope; administrators
nothing."""

import datetime as dt

from tests.permissions import BUSINESS, expect, only
from zugong.care import services
from zugong.care.models import Activity, Hardship, HealthRecord
from zugong.core.audit import SYSTEM

DAY = dt.date(2026, 3, 2)
MANAGERS = ("head", "deputy", "chief", "outsider")
SENSITIVE = ("head", "deputy", "outsider")


def _activity(cast):
    activity = Activity.objects.filter(department=cast.dept).first() or \
        services.activity_record(by=SYSTEM, department=cast.dept, kind="culture",
                                 title="篮球友谊赛", held_on=DAY,
                                 organizer=cast.people["chief"],
                                 participants=[cast.people["chief"]])
    return [activity.pk]


def _join_body(cast):
    activity = Activity.objects.get(pk=_activity(cast)[0])
    return {"version": activity.version, "participants": [cast.people["cadre"].pk]}


def _health(cast):
    record = HealthRecord.objects.filter(person=cast.people["cadre"]).first() or \
        services.health_record(by=SYSTEM, person=cast.people["cadre"], kind="check", on=DAY,
                               findings="血压偏高")
    return [record.pk]


def _hardship(cast):
    record = Hardship.objects.filter(person=cast.people["cadre"]).first() or \
        services.hardship_record(by=SYSTEM, person=cast.people["cadre"], kind="illness",
                                 on=DAY, situation="母亲重病")
    return [record.pk]


def _fresh_hardship(cast):
    """A new open record for each request, so every allowed close succeeds."""
    return [services.hardship_record(by=SYSTEM, person=cast.people["cadre"], kind="housing",
                                     on=DAY, situation="暂无住房").pk]


def _close_body(cast):
    record = Hardship.objects.filter(closed_on__isnull=True).latest("pk")
    return {"version": record.version, "closed_on": "2026-03-20", "support": "协调周转房"}


SEE_ACTIVITY = expect(200, outsider=404, sysadmin=403, secadmin=403, auditor=403)
SEE_SENSITIVE = expect(403, head=200, deputy=200, outsider=404)

ROWS = {
    "care:home": ("get", None, None, only(302, BUSINESS)),
    "care:activities": ("get", None, None, only(200, BUSINESS)),
    "care:activities_export": ("get", None, None, only(200, BUSINESS)),
    "care:activity_add": ("get", None, None, only(200, MANAGERS)),
    "care:activity": ("get", _activity, None, SEE_ACTIVITY),
    "care:activity_join": ("post", _activity, _join_body,
                           expect(403, head=302, deputy=302, chief=302, outsider=404)),
    "care:birthdays": ("get", None, None, only(200, BUSINESS)),
    "care:birthday_mark": ("post", None,
                           lambda c: {"person": c.people["cadre"].pk, "on": "2026-03-01",
                                      "form": "oath"},
                           only(302, MANAGERS)),
    "care:leave": ("get", None, None, only(200, BUSINESS)),
    "care:leave_add": ("get", None, None, only(200, MANAGERS)),
    "care:health": ("get", None, None, only(200, SENSITIVE)),
    "care:health_add": ("get", None, None, only(200, SENSITIVE)),
    "care:health_record": ("get", _health, None, SEE_SENSITIVE),
    "care:hardships": ("get", None, None, only(200, SENSITIVE)),
    "care:hardship_add": ("get", None, None, only(200, SENSITIVE)),
    "care:hardship": ("get", _hardship, None, SEE_SENSITIVE),
    "care:hardship_close": ("post", _fresh_hardship, _close_body,
                            expect(403, head=302, deputy=302, outsider=404)),
    # The tab of a cadre in the cast's department: "self" scopes see only themselves.
    "care:person_tab": ("get", lambda c: [c.people["cadre"].pk], None,
                        expect(200, cadre2=404, outsider=404, sysadmin=403, secadmin=403,
                               auditor=403)),
    "api:list_care_activities": ("get", None, None, only(200, BUSINESS, anonymous=401)),
}
