"""Audit action names of the people app (``<app>.<entity>.<verb>``)."""

UNIT_CREATE = "people.unit.create"
UNIT_UPDATE = "people.unit.update"
DEPARTMENT_SETUP = "people.department.setup"
# To the security administrators: a head role granted by a department setup, to review.
NOTICE_SETUP_GRANT = "people.role.setup_grant"
DEPARTMENT_HEAD_LINK = "people.department.link_head"
PERSON_CREATE = "people.person.create"
PERSON_UPDATE = "people.person.update"
PERSON_DELETE = "people.person.delete"
PERSON_EXPORT = "people.person.export"
# Sub-records of a person, by the kind used in URLs and services.SUBRECORDS.
SUBRECORD_ENTITIES = {"resume": "resume_entry", "family": "family_member",
                      "rewards": "reward_punishment", "assessments": "annual_assessment"}
SUBRECORD_ADD = {kind: f"people.{entity}.add" for kind, entity in SUBRECORD_ENTITIES.items()}
SUBRECORD_DELETE = {kind: f"people.{entity}.delete"
                    for kind, entity in SUBRECORD_ENTITIES.items()}
ACCOUNT_CREATE = "people.account.create"
# Action names, not secrets: bandit reads "password" and "token" in them as such.
ACCOUNT_UNLOCK = "people.account.unlock"
ACCOUNT_DISABLE = "people.account.disable"
ACCOUNT_ENABLE = "people.account.enable"
PASSWORD_CHANGE = "people.account.change_password"  # noqa: S105  # nosec B105
ROLE_GRANT = "people.role.grant"
ROLE_REVOKE = "people.role.revoke"
TOKEN_CREATE = "people.token.create"  # noqa: S105  # nosec B105
TOKEN_REVOKE = "people.token.revoke"  # noqa: S105  # nosec B105
TWOFACTOR_ENROL = "people.twofactor.enrol"
TWOFACTOR_REMOVE = "people.twofactor.remove"
TWOFACTOR_RESET = "people.twofactor.reset"
RECOVERY_CODES_REGENERATE = "people.recovery_codes.regenerate"
TWOFACTOR_VERIFY_SUCCESS = "people.twofactor.verify_success"
TWOFACTOR_VERIFY_FAILURE = "people.twofactor.verify_failure"
