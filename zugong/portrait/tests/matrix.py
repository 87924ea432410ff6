"""Permission-matrix rows of the portrait pages and endpoint (gathered by
tests/test_permission_matrix.py). Leaders, supervision and the assessment office read the
portraits of the cadres in their scope (a chief's own section does not hold the managed
cadre: 404); cadres read none (403); the rules are edited by heads and the assessment
office; administrators nothing."""

from tests.permissions import expect, only
from zugong.portrait.models import SourceRule

VIEWERS = ("head", "deputy", "chief", "outsider", "supervisor", "assessor")
# The rules are one set for the installation, so any department's head edits them.
RULERS = ("head", "outsider", "assessor")


def _managed(cast):
    return [cast.people["managed"].pk]


def _rule(cast):
    return [SourceRule.objects.order_by("pk").first().pk]


SEE_MANAGED = expect(200, chief=404, cadre=403, cadre2=403, outsider=404, sysadmin=403,
                     secadmin=403, auditor=403)

ROWS = {
    "portrait:home": ("get", None, None, only(302, VIEWERS)),
    "portrait:people": ("get", None, None, only(200, VIEWERS)),
    "portrait:person": ("get", _managed, None, SEE_MANAGED),
    "portrait:person_pdf": ("get", _managed, None, SEE_MANAGED),
    "portrait:compare": ("get", None, None, only(200, VIEWERS)),
    "portrait:department": ("get", None, None, only(200, VIEWERS)),
    "portrait:rules": ("get", None, None, only(200, RULERS)),
    "portrait:rule_add": ("get", None, None, only(200, RULERS)),
    "portrait:rule_edit": ("get", _rule, None, only(200, RULERS)),
    "portrait:person_tab": ("get", _managed, None, SEE_MANAGED),
    "api:get_portrait": ("get", _managed, None,
                         expect(200, chief=404, cadre=403, cadre2=403, outsider=404,
                                sysadmin=403, secadmin=403, auditor=403, anonymous=401)),
}
