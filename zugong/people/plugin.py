"""The people app's part of the whole: its capabilities and grants, menu entries and URLs.

The three administrators' capabilities live here too: the administrator roles are people
records (三员分立), and the console's pages only check them.
"""

from django.utils.translation import gettext_lazy as _

from zugong.core.registry import NavEntry, Plugin, grants

from . import audit_names
from .access import BUSINESS_ROLES, LEADER_ROLES, Cap

# 三员分立: the three administrators see no cadre records and share no duty.
GRANTS = grants(
    (BUSINESS_ROLES, {Cap.PEOPLE_VIEW, Cap.UNITS_VIEW}),
    (LEADER_ROLES, {Cap.PEOPLE_CHANGE, Cap.PEOPLE_EXPORT}),
    (("head",), {Cap.PEOPLE_SENSITIVE, Cap.UNITS_CHANGE}),
    (("supervision",), {Cap.PEOPLE_SENSITIVE, Cap.PEOPLE_EXPORT}),
    (("assessment",), {Cap.PEOPLE_EXPORT}),
    (("sysadmin",), {Cap.ACCOUNTS_CREATE, Cap.JOBS_VIEW, Cap.DEPARTMENTS_CREATE}),
    (("secadmin",), {Cap.ROLES_GRANT, Cap.ACCOUNTS_UNLOCK, Cap.ACCOUNTS_2FA_RESET,
                     Cap.TOKENS_REVOKE, Cap.DICT_CHANGE}),
    (("auditor",), {Cap.AUDIT_VIEW}),
)


PLUGIN = Plugin(
    capabilities={
        Cap.PEOPLE_VIEW: "read people in scope",
        Cap.PEOPLE_CHANGE: "edit people in scope",
        Cap.PEOPLE_SENSITIVE: "read ID and phone numbers in clear",
        Cap.PEOPLE_EXPORT: "export people",
        Cap.UNITS_VIEW: "read org units",
        Cap.UNITS_CHANGE: "create and edit org units",
        Cap.ACCOUNTS_CREATE: "create accounts (system administrator)",
        Cap.DEPARTMENTS_CREATE: "start a new department (system administrator)",
        Cap.JOBS_VIEW: "read job runs (system administrator)",
        Cap.ROLES_GRANT: "grant roles (security administrator)",
        Cap.ACCOUNTS_UNLOCK: "unlock accounts (security administrator)",
        Cap.ACCOUNTS_2FA_RESET: "reset a second factor (security administrator)",
        Cap.TOKENS_REVOKE: "list and revoke anyone's API tokens (security administrator)",
        Cap.DICT_CHANGE: "edit code tables (security administrator)",
        Cap.AUDIT_VIEW: "read the audit log (auditor)",
    },
    grants=GRANTS,
    nav=(
        NavEntry("people:list", _("People"), Cap.PEOPLE_VIEW, order=10),
        NavEntry("people:units", _("Units"), Cap.UNITS_VIEW, order=20),
        NavEntry("people:accounts", _("Accounts"), Cap.ACCOUNTS_CREATE, order=80),
        NavEntry("people:accounts", _("Accounts and roles"), Cap.ROLES_GRANT, order=81),
    ),
    urls=(("", "zugong.people.urls_account"), ("people/", "zugong.people.urls")),
    api="zugong.people.api:router",
    audit_entities=audit_names.ENTITIES,
    audit_fields=audit_names.FIELDS,
    audit_actions=audit_names.ACTIONS,
)
