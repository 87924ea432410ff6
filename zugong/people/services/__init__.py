"""Writes of the people app, split by entity: org units, people and their sub-records
(``records``); accounts, roles, tokens and second factors (``accounts``). Every name is
re-exported here, so ``from zugong.people import services`` keeps working."""

from zugong.core.versioning import ConflictError

from .accounts import (
    RECOVERY_CODE_COUNT,
    CodeCheck,
    account_create,
    account_locked,
    account_set_active,
    account_unlock,
    generate_password,
    normalise_code,
    password_change,
    recovery_codes_regenerate,
    role_grant,
    role_revoke,
    token_authenticate,
    token_create,
    token_revoke,
    twofactor_enrol_confirm,
    twofactor_enrol_start,
    twofactor_remove,
    twofactor_reset,
    twofactor_verify,
)
from .departments import (
    DepartmentSetup,
    department_head_link,
    department_setup,
)
from .records import (
    ALLOWED_PHOTO_FORMATS,
    DICT_FIELDS,
    PERSON_FIELDS,
    SUBRECORDS,
    UNIT_FIELDS,
    history_change,
    history_state,
    person_create,
    person_delete,
    person_export_logged,
    person_update,
    subrecord_add,
    subrecord_delete,
    unit_create,
    unit_update,
    validate_photo,
)

__all__ = [
    "ALLOWED_PHOTO_FORMATS", "DICT_FIELDS", "PERSON_FIELDS", "RECOVERY_CODE_COUNT",
    "SUBRECORDS", "UNIT_FIELDS", "CodeCheck", "ConflictError", "DepartmentSetup",
    "account_create", "account_locked", "account_set_active", "account_unlock",
    "department_head_link", "department_setup", "generate_password",
    "history_change", "history_state", "normalise_code", "password_change",
    "person_create", "person_delete", "person_export_logged", "person_update",
    "recovery_codes_regenerate",
    "role_grant", "role_revoke", "subrecord_add", "subrecord_delete", "token_authenticate",
    "token_create", "token_revoke", "twofactor_enrol_confirm", "twofactor_enrol_start",
    "twofactor_remove", "twofactor_reset", "twofactor_verify", "unit_create", "unit_update",
    "validate_photo",
]
