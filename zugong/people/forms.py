"""Forms of the people pages; validation of substance is in the services."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from zugong.core.dictionaries import choices as dict_choices
from zugong.core.forms import DATE_INPUT, PersonChoiceField, StyledForm
from zugong.core.models import DictTable

from .models import FamilyMember, PersonCategory, RewardPunishment, Role, Scope, UnitKind


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"

    error_messages = {
        "invalid_login": _("The username or password is wrong."),
        "inactive": _("This account is disabled."),
    }


class DictChoiceField(forms.ChoiceField):
    def __init__(self, table, *args, **kwargs):
        self.table = table
        super().__init__(*args, **kwargs)

    def load(self):
        self.choices = [("", "---------")] + [
            (item.code, item.name) for item in dict_choices(self.table)
        ]


class PersonForm(StyledForm):
    category = forms.ChoiceField(label=_("category"), choices=PersonCategory.choices)
    name = forms.CharField(label=_("full name"), max_length=50)
    sex = DictChoiceField(DictTable.SEX, label=_("sex"))
    birth_date = forms.DateField(label=_("birth date"), widget=DATE_INPUT)
    ethnicity = DictChoiceField(DictTable.ETHNICITY, label=_("ethnicity"), required=False)
    native_place = forms.CharField(label=_("native place"), max_length=50, required=False)
    birthplace = forms.CharField(label=_("birthplace"), max_length=50, required=False)
    political_status = DictChoiceField(DictTable.POLITICAL_STATUS, label=_("political status"),
                                       required=False)
    party_join_date = forms.DateField(label=_("Party-joining date"), widget=DATE_INPUT,
                                      required=False)
    work_start_date = forms.DateField(label=_("work-start date"), widget=DATE_INPUT, required=False)
    joined_on = forms.DateField(label=_("joined the unit on"), widget=DATE_INPUT, required=False)
    health = DictChoiceField(DictTable.HEALTH, label=_("health"), required=False)
    ft_education = DictChoiceField(DictTable.EDUCATION, label=_("full-time education"),
                                   required=False)
    ft_degree = DictChoiceField(DictTable.DEGREE, label=_("full-time degree"), required=False)
    ft_school = forms.CharField(label=_("full-time school and major"), max_length=100,
                                required=False)
    is_education = DictChoiceField(DictTable.EDUCATION, label=_("in-service education"),
                                   required=False)
    is_degree = DictChoiceField(DictTable.DEGREE, label=_("in-service degree"), required=False)
    is_school = forms.CharField(label=_("in-service school and major"), max_length=100,
                                required=False)
    professional_title = forms.CharField(label=_("professional title"), max_length=50,
                                         required=False)
    id_number = forms.CharField(label=_("ID number"), max_length=18, required=False)
    phone = forms.CharField(label=_("phone"), max_length=15, required=False)
    current_post = forms.CharField(label=_("current post"), max_length=100, required=False)
    post_level = DictChoiceField(DictTable.POST_LEVEL, label=_("post level"), required=False)
    unit = forms.ModelChoiceField(label=_("unit"), queryset=None)
    photo = forms.FileField(label=_("photo"), required=False,
                            help_text=_("JPEG or PNG, at most 2 MB."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    SENSITIVE = ("id_number", "phone")

    def __init__(self, *args, units, show_sensitive=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        for f in self.fields.values():
            if isinstance(f, DictChoiceField):
                f.load()
        if not show_sensitive:
            # The editor may not read the full values; leaving them empty keeps them.
            for name in self.SENSITIVE:
                self.fields[name].help_text = _("Leave empty to keep the current value.")

    @staticmethod
    def initial_from(person) -> dict:
        data = {name: getattr(person, name) for name in (
            "category", "name", "birth_date", "native_place", "birthplace", "party_join_date",
            "work_start_date", "joined_on", "ft_school", "is_school", "professional_title",
            "id_number", "phone", "current_post", "unit",
        )}
        for name in ("sex", "ethnicity", "political_status", "health", "ft_education",
                     "ft_degree", "is_education", "is_degree", "post_level"):
            item = getattr(person, name)
            data[name] = item.code if item else ""
        data["version"] = person.version
        return data

    def service_data(self, *, keep_sensitive_when_empty=False) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("photo", "version")}
        if keep_sensitive_when_empty:
            for name in self.SENSITIVE:
                if not data.get(name):
                    data.pop(name, None)
        return data


class ResumeForm(StyledForm):
    start = forms.DateField(label=_("from"), widget=DATE_INPUT)
    end = forms.DateField(label=_("to"), widget=DATE_INPUT, required=False)
    text = forms.CharField(label=_("unit and post"), max_length=300)


class FamilyForm(StyledForm):
    kind = forms.ChoiceField(label=_("kind"), choices=FamilyMember.Kind.choices)
    relation = DictChoiceField(DictTable.FAMILY_RELATION, label=_("relation"))
    name = forms.CharField(label=_("full name"), max_length=50)
    birth_date = forms.DateField(label=_("birth date"), widget=DATE_INPUT, required=False)
    political_status = DictChoiceField(DictTable.POLITICAL_STATUS, label=_("political status"),
                                       required=False)
    work_unit_and_post = forms.CharField(label=_("work unit and post"), max_length=200,
                                         required=False)
    is_deceased = forms.BooleanField(label=_("deceased"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["relation"].load()
        self.fields["political_status"].load()


class RewardForm(StyledForm):
    kind = forms.ChoiceField(label=_("kind"), choices=RewardPunishment.Kind.choices)
    date = forms.DateField(label=_("date"), widget=DATE_INPUT)
    title = forms.CharField(label=_("title"), max_length=100)
    issuer = forms.CharField(label=_("issued by"), max_length=100, required=False)
    reason = forms.CharField(label=_("reason"), max_length=300, required=False)


class AssessmentForm(StyledForm):
    year = forms.IntegerField(label=_("year"), min_value=1950, max_value=2100)
    result = DictChoiceField(DictTable.ASSESSMENT_RESULT, label=_("result"))
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result"].load()


SUBRECORD_FORMS = {
    "resume": ResumeForm,
    "family": FamilyForm,
    "rewards": RewardForm,
    "assessments": AssessmentForm,
}


class PasswordChangeForm(StyledForm):
    old_password = forms.CharField(label=_("current password"), widget=forms.PasswordInput)
    new_password = forms.CharField(label=_("new password"), widget=forms.PasswordInput)
    new_password2 = forms.CharField(label=_("new password again"), widget=forms.PasswordInput)

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_old_password(self):
        value = self.cleaned_data["old_password"]
        if not self.user.check_password(value):
            raise forms.ValidationError(_("The current password is wrong."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", _("The two new passwords differ."))
        return data


class SecondFactorCodeForm(StyledForm):
    """A code from the authenticator app; at sign-in also a recovery code."""

    code = forms.CharField(label=_("code"), max_length=32)

    def __init__(self, *args, recovery=False, **kwargs):
        super().__init__(*args, **kwargs)
        attrs = self.fields["code"].widget.attrs
        attrs.update({"autocomplete": "one-time-code", "autofocus": True,
                      "inputmode": "text" if recovery else "numeric", "spellcheck": "false"})
        if recovery:
            self.fields["code"].label = _("6-digit code or recovery code")
        else:
            self.fields["code"].label = _("6-digit code")


class PasswordConfirmForm(StyledForm):
    """Asks for the password again before a change to the sign-in itself."""

    password = forms.CharField(label=_("current password"), widget=forms.PasswordInput)

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        value = self.cleaned_data["password"]
        if not self.user.check_password(value):
            raise forms.ValidationError(_("The current password is wrong."))
        return value


class TokenForm(StyledForm):
    name = forms.CharField(label=_("token name"), max_length=100)


class AccountForm(StyledForm):
    username = forms.CharField(label=_("username"), max_length=150)
    person = PersonChoiceField(
        label=_("person"), required=False, queryset=None,
        help_text=_("Optional: type a name or its pinyin initials to link the account to "
                    "an organization cadre who has none yet."),
        error_messages={"invalid_choice": _("Choose an organization cadre without an "
                                            "account.")})

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class RoleGrantForm(StyledForm):
    role = forms.ChoiceField(label=_("role"), choices=Role.choices)
    scope = forms.ChoiceField(label=_("data scope"), choices=Scope.choices)
    unit = forms.ModelChoiceField(label=_("anchor unit"), queryset=None, required=False)
    units = forms.ModelMultipleChoiceField(label=_("custom units"), queryset=None,
                                           required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["units"].queryset = units


class UnitForm(StyledForm):
    parent = forms.ModelChoiceField(label=_("parent unit"), queryset=None)
    name = forms.CharField(label=_("name"), max_length=100)
    kind = forms.ChoiceField(label=_("kind"), choices=UnitKind.choices)
    code = forms.CharField(label=_("code"), max_length=32)
    position = forms.IntegerField(label=_("order"), min_value=0, initial=0)

    def __init__(self, *args, parents, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents
        if editing:
            # Moving a unit would re-path its subtree and people; not offered here.
            del self.fields["parent"]
            del self.fields["kind"]
