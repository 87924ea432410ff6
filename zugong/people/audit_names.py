"""The Chinese names of this app's audit actions and entities (core.audit_labels).

Entities label the middle part of "<app>.<entity>.<verb>" (and the entries' object
types); actions label a whole action whose composed label would read badly, and the
notice kinds, which share the naming. The "audit" context keeps these words apart
from the same English words elsewhere in the catalogues."""

from django.utils.translation import pgettext_lazy

ENTITIES = {
    "people.account": pgettext_lazy("audit", "account"),
    "people.department": pgettext_lazy("audit", "department"),
    "people.role": pgettext_lazy("audit", "role"),
    "people.token": pgettext_lazy("audit", "API token"),
    "people.twofactor": pgettext_lazy("audit", "second factor"),
    "people.recovery_codes": pgettext_lazy("audit", "recovery codes"),
    "people.unit": pgettext_lazy("audit", "unit"),
}

ACTIONS = {
    "people.account.change_password": pgettext_lazy("audit", "change the password"),
    "people.account.disable": pgettext_lazy("audit", "disable an account"),
    "people.account.enable": pgettext_lazy("audit", "enable an account"),
    "people.department.link_head": pgettext_lazy("audit", "link the head's account"),
    "people.department.setup": pgettext_lazy("audit", "set up a department"),
    "people.role.setup_grant": pgettext_lazy("audit", "head role granted by a department "
                                                      "setup, to review"),
    "people.recovery_codes.regenerate": pgettext_lazy("audit", "regenerate the recovery codes"),
    "people.twofactor.enrol": pgettext_lazy("audit", "enrol a second factor"),
    "people.twofactor.verify_success": pgettext_lazy("audit", "second factor verified"),
    "people.twofactor.verify_failure": pgettext_lazy("audit", "second factor failed"),
}

FIELDS = {
    "people.person.recycled": pgettext_lazy("audit", "entry in the recycle bin"),
    "people.role.role": pgettext_lazy("audit", "role"),
    "people.role.scope": pgettext_lazy("audit", "scope"),
    "people.role.unit": pgettext_lazy("audit", "unit"),
    "people.role.units": pgettext_lazy("audit", "units in scope"),
}
