"""Permission-matrix rows of the portrait pages and endpoint (gathered by
tests/test_permission_matrix.py). Leaders, supervision and the assessment office read the
portraits of the cadres in their scope (a chief's own section does not hold the managed
cadre: 404); cadres read none (403); the rules are edited by heads and the assessment
office; administrators nothing."""

from tests.permissions import expect, only
from zugong.portrait.models import SourceRule

VIEWERS = ("head", "deputy", "chief", "outsider", "supervisor", "assessor")
# Heads and assessment offices, each of their own department's set (the outsider is the
# head of another department).
RULERS = ("head", "outsider", "assessor")


def _managed(cast):
    return [cast.people["managed"].pk]


def _default_rule(cast):
    return [SourceRule.objects.filter(department=None).order_by("pk").first().pk]


def _dept(cast):
    return [cast.dept.pk]


def _dept_rule(cast):
    # A default rule is in force for the department until it has its own set.
    return [cast.dept.pk, *_default_rule(cast)]


def _dept_type(cast):
    return [cast.dept.pk, "service"]


# The cast's department: its head and assessment office; the other department's head 404.
OWN_SET = expect(403, head=200, assessor=200, outsider=404)
OWN_SET_POST = expect(403, head=302, assessor=302, outsider=404)
DEFAULTS_WRITE = expect(403)


SEE_MANAGED = expect(200, chief=404, cadre=403, cadre2=403, outsider=404, sysadmin=403,
                     secadmin=403, auditor=403)

ROWS = {
    "portrait:home": ("get", None, None, only(302, VIEWERS)),
    "portrait:people": ("get", None, None, only(200, VIEWERS)),
    "portrait:person": ("get", _managed, None, SEE_MANAGED),
    "portrait:person_pdf": ("get", _managed, None, SEE_MANAGED),
    "portrait:compare": ("get", None, None, only(200, VIEWERS)),
    "portrait:department": ("get", None, None, only(200, VIEWERS)),
    "portrait:rules": ("get", None, None, only(302, RULERS)),
    "portrait:rules_default": ("get", None, None, only(200, RULERS)),
    "portrait:default_rule_add": ("get", None, None, DEFAULTS_WRITE),
    "portrait:default_rule_edit": ("get", _default_rule, None, DEFAULTS_WRITE),
    "portrait:ruleset": ("get", _dept, None, OWN_SET),
    "portrait:rule_add": ("get", _dept, None, OWN_SET),
    "portrait:rule_edit": ("get", _dept_rule, None, OWN_SET),
    "portrait:ruleset_reset": ("post", _dept, None, OWN_SET_POST),
    "portrait:types": ("get", None, None, only(302, RULERS)),
    "portrait:types_default": ("get", None, None, only(200, RULERS)),
    "portrait:default_type_edit": ("get", lambda cast: ["service"], None, DEFAULTS_WRITE),
    "portrait:typeset": ("get", _dept, None, OWN_SET),
    "portrait:type_edit": ("get", _dept_type, None, OWN_SET),
    "portrait:typeset_reset": ("post", _dept, None, OWN_SET_POST),
    "portrait:person_tab": ("get", _managed, None, SEE_MANAGED),
    "api:get_portrait": ("get", _managed, None,
                         expect(200, chief=404, cadre=403, cadre2=403, outsider=404,
                                sysadmin=403, secadmin=403, auditor=403, anonymous=401)),
}
