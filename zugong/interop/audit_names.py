"""The Chinese names of this app's audit actions and entities (core.audit_labels).

Entities label the middle part of "<app>.<entity>.<verb>" (and the entries' object
types); actions label a whole action whose composed label would read badly, and the
notice kinds, which share the naming. The "audit" context keeps these words apart
from the same English words elsewhere in the catalogues."""

from django.utils.translation import pgettext_lazy

ENTITIES = {
    "interop.batch": pgettext_lazy("audit", "import batch"),
    "interop.import": pgettext_lazy("audit", "import"),
    "interop.form_sheet": pgettext_lazy("audit", "appointment form text"),
    "interop.export": pgettext_lazy("audit", "export"),
}

ACTIONS = {
    "interop.import.apply": pgettext_lazy("audit", "apply an import"),
    "interop.import.bulk_create": pgettext_lazy("audit", "create people in bulk by import"),
    "interop.export.lrmx": pgettext_lazy("audit", "export appointment forms (LRMX)"),
    "interop.export.workbook": pgettext_lazy("audit", "export the workbook"),
    "interop.export.form_pdf": pgettext_lazy("audit", "export the appointment form (PDF)"),
    "interop.export.form_docx": pgettext_lazy("audit", "export the appointment form (Word)"),
}
