"""Upload forms of the import pages; what the files contain is checked by the services."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zugong.core import files as core_files
from zugong.core.forms import DATE_INPUT, StyledForm
from zugong.people.models import PersonCategory


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class TargetForm(StyledForm):
    """The target of new people, and the upload kept server-side between tries.

    A browser never refills a file input: after an error in another field (or a problem
    in the file's check that the unit field answers) the user would have to choose the
    file again. The chosen files are held by the kit under a short-lived reference in the
    hidden ``held`` field; a try without a new file uses them, a new file replaces them.
    ``cleaned_data["uploads"]`` is the list of (name, content) either way.
    """

    upload_field = "file"
    held = forms.CharField(required=False, widget=forms.HiddenInput)
    # Optional: a workbook row carries its unit code, and the check says when a new
    # person has none and no unit was chosen here.
    unit = forms.ModelChoiceField(label=_("unit for new people"), queryset=None,
                                  required=False,
                                  help_text=_("People not yet registered whose file names no "
                                              "unit join this unit."))
    category = forms.ChoiceField(label=_("category for new people"),
                                 choices=PersonCategory.choices,
                                 initial=PersonCategory.MANAGED)

    def __init__(self, *args, units=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.user = user
        self.held_ref = ""

    def clean(self):
        cleaned = super().clean()
        if self.upload_field in self.errors:
            return cleaned
        chosen = cleaned.get(self.upload_field)
        chosen = [f for f in (chosen if isinstance(chosen, list) else [chosen]) if f]
        ref = self.data.get(self.add_prefix("held"), "")
        if chosen:
            if sum(f.size for f in chosen) > core_files.max_upload_bytes():
                self.add_error(self.upload_field, _("The upload is too large."))
                return cleaned
            uploads = [(f.name, f.read()) for f in chosen]
            if ref:
                core_files.release_held(user=self.user, ref=ref)
            ref = core_files.hold_uploads(user=self.user, files=uploads)
        else:
            uploads = core_files.held_uploads(user=self.user, ref=ref) if ref else None
            if not uploads:
                ref = ""
                self.add_error(self.upload_field, forms.Field.default_error_messages["required"])
                return cleaned
        self._keep(ref, [name for name, _data in uploads])
        cleaned["uploads"] = uploads
        return cleaned

    def _keep(self, ref: str, names: list[str]) -> None:
        self.held_ref = ref
        self.data = self.data.copy()
        self.data[self.add_prefix("held")] = ref
        note = _("Kept from your last try: %(names)s. Choose a file only to replace it.") % {
            "names": "、".join(names)}
        # The bound field copied the help text when the fields were cleaned.
        self.fields[self.upload_field].help_text = self[self.upload_field].help_text = note

    def release(self) -> None:
        """The held files served (a batch was stored): drop them."""
        if self.held_ref:
            core_files.release_held(user=self.user, ref=self.held_ref)
            self.held_ref = ""


class LrmxUploadForm(TargetForm):
    upload_field = "files"
    files = MultipleFileField(
        label=_("LRMX files"), required=False,
        help_text=_("One or more .lrmx files, legacy .lrm files with their .pic photos, "
                    "or a .zip of a folder of them."))
    field_order = ["files", "unit", "category", "held"]


class WorkbookUploadForm(TargetForm):
    file = forms.FileField(label=_("workbook (.xlsx)"), required=False)
    field_order = ["file", "unit", "category", "held"]


class AgeDateForm(StyledForm):
    at = forms.DateField(label=_("compute the age on"), required=False,
                         widget=DATE_INPUT)

    def day(self) -> dt.date:
        if self.is_valid() and self.cleaned_data.get("at"):
            return self.cleaned_data["at"]
        return timezone.localdate()
