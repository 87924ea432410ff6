"""The portrait app's part of the whole (see zugong/core/registry.py)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zugong.core.registry import NavEntry, PersonTab, Plugin, grants
from zugong.people.access import LEADER_ROLES

from .access import Cap

PLUGIN = Plugin(
    capabilities={
        Cap.PORTRAIT_VIEW: "read the political-quality portraits of cadres in scope and the "
                           "department's 五型机关 figures",
        Cap.PORTRAIT_RULES: "edit the portrait's rules (sources and weights of each dimension) "
                            "and the 五型机关 figures of the departments in scope",
    },
    grants=grants(
        ((*LEADER_ROLES, "supervision", "assessment"), {Cap.PORTRAIT_VIEW}),
        (("head", "assessment"), {Cap.PORTRAIT_RULES}),
    ),
    nav=(NavEntry("portrait:home", pgettext_lazy("portrait", "Portraits"), Cap.PORTRAIT_VIEW,
                  order=78),),
    subnav=(
        NavEntry("portrait:people", pgettext_lazy("portrait", "Portraits"), key="people"),
        NavEntry("portrait:compare", _("Side by side"), key="compare"),
        NavEntry("portrait:department", _("Five-type department"), key="department"),
        NavEntry("portrait:rules", pgettext_lazy("portrait", "Rules"), Cap.PORTRAIT_RULES,
                 key="rules"),
        NavEntry("portrait:types", _("Five-type figures"), Cap.PORTRAIT_RULES, key="types"),
    ),
    person_tab=PersonTab("portrait", _("Portrait"), "portrait:person_tab", Cap.PORTRAIT_VIEW,
                         order=85),
    urls=(("portrait/", "zugong.portrait.urls"),),
    api="zugong.portrait.api:router",
    audit_entities={"portrait.rule": _("portrait rule"),
                    "portrait.ruleset": _("department's portrait rules"),
                    "portrait.typeset": _("department's five-type figures")},
    audit_verbs={"copy": pgettext_lazy("audit", "copy")},
    audit_actions={"portrait.portrait.print": pgettext_lazy("audit", "print a portrait")},
)
