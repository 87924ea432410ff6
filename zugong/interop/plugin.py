"""Import and export's part of the whole: its URLs and API (it uses the people app's
capabilities), and the printed form and LRMX buttons on the person page."""

from django.utils.translation import gettext_lazy as _

from zugong.core.registry import NavEntry, Plugin

from . import audit_names
from .access import Cap

PLUGIN = Plugin(
    person_actions=(
        NavEntry("interop:form_pdf", _("Appointment form (PDF)"), Cap.PEOPLE_EXPORT, order=10),
        NavEntry("interop:form_docx", _("Word"), Cap.PEOPLE_EXPORT, order=20),
        NavEntry("interop:person_lrmx", _("LRMX"), Cap.PEOPLE_EXPORT, order=30),
    ),
    urls=(("interop/", "zugong.interop.urls"),),
    api="zugong.interop.api:router",
    workbench="zugong.interop.workbench:items",
    audit_entities=audit_names.ENTITIES,
    audit_actions=audit_names.ACTIONS,
)
