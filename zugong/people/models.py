"""Org units, people (一人一档 core), accounts, roles and tokens."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from zugong.core.fields import EncryptedTextField
from zugong.core.models import DictItem


class UnitKind(models.TextChoices):
    ORG_DEPT = "org_dept", _("Organization department")
    SECTION = "section", _("Section")
    PARTY_COMMITTEE = "party_committee", _("Party committee")
    TOWN = "town", _("Town")
    COUNTY_UNIT = "county_unit", _("County unit")
    GROUP = "group", _("Group of units")
    OTHER = "other", _("Other")


class OrgUnit(MP_Node):
    """A unit in the jurisdiction tree of organization departments.

    An organization department's node holds its own sections and the units whose
    cadres it manages, so "this unit and everything below" is one prefix query on the
    materialised path.
    """

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    code = models.CharField(_("code"), max_length=32, unique=True)
    position = models.PositiveIntegerField(_("order"), default=0)
    department = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("department"),
        help_text=_("The nearest organization department at or above this unit."),
    )
    # The administrative division a department serves (GB/T 2260); set on departments.
    region = models.ForeignKey(
        DictItem, models.PROTECT, null=True, blank=True, related_name="+",
        limit_choices_to={"table": "division"}, verbose_name=_("region"),
    )

    node_order_by = ["position", "code"]

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        # The people-list unit filter takes the top levels of a user's tree in
        # (depth, path) order; without it every list page sorted all units in scope.
        indexes = [models.Index(fields=["depth", "path"], name="orgunit_depth_path")]

    def __str__(self):
        return self.name


class PersonCategory(models.TextChoices):
    ORG_CADRE = "org_cadre", _("Organization cadre")
    MANAGED = "managed", _("Managed cadre")


def _photo_path(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"photos/{timezone.now():%Y/%m}/{instance.pk or 'new'}-{timezone.now():%H%M%S%f}.{ext}"


class Person(models.Model):
    """One cadre's basic information (A01), for organization and managed cadres alike."""

    category = models.CharField(_("category"), max_length=16, choices=PersonCategory.choices)
    name = models.CharField(_("full name"), max_length=50, db_index=True)
    sex = models.ForeignKey(DictItem, models.PROTECT, related_name="+", verbose_name=_("sex"))
    birth_date = models.DateField(_("birth date"))
    ethnicity = models.ForeignKey(
        DictItem, models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name=_("ethnicity"),
    )
    native_place = models.CharField(_("native place"), max_length=50, blank=True)
    birthplace = models.CharField(_("birthplace"), max_length=50, blank=True)
    political_status = models.ForeignKey(
        DictItem, models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name=_("political status"),
    )
    party_join_date = models.DateField(_("Party-joining date"), null=True, blank=True)
    work_start_date = models.DateField(_("work-start date"), null=True, blank=True)
    health = models.ForeignKey(
        DictItem, models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name=_("health"),
    )
    ft_education = models.ForeignKey(
        DictItem, models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name=_("full-time education"),
    )
    ft_degree = models.ForeignKey(
        DictItem, models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name=_("full-time degree"),
    )
    ft_school = models.CharField(_("full-time school and major"), max_length=100, blank=True)
    is_education = models.ForeignKey(
        DictItem, models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name=_("in-service education"),
    )
    is_degree = models.ForeignKey(
        DictItem, models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name=_("in-service degree"),
    )
    is_school = models.CharField(_("in-service school and major"), max_length=100, blank=True)
    professional_title = models.CharField(_("professional title"), max_length=50, blank=True)
    id_number = EncryptedTextField(_("ID number"), blank=True)
    id_number_index = models.CharField(max_length=64, null=True, blank=True, unique=True,
                                       editable=False)
    phone = EncryptedTextField(_("phone"), blank=True)
    phone_index = models.CharField(max_length=64, null=True, blank=True, db_index=True,
                                   editable=False)
    current_post = models.CharField(_("current post"), max_length=100, blank=True)
    post_level = models.ForeignKey(
        DictItem, models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name=_("post level"),
    )
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="people",
                             verbose_name=_("unit"))
    # Copy of unit.path so that scope filters and keyset paging use one table's index.
    unit_path = models.CharField(max_length=255, editable=False)
    photo = models.ImageField(_("photo"), upload_to=_photo_path, blank=True)
    # When the person came under this department's rules (learning regimes and the like
    # pro-rate from here); empty means "since before any rule".
    joined_on = models.DateField(_("joined the unit on"), null=True, blank=True)
    is_active = models.BooleanField(_("in post"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            # Scope filters are path ranges (access.subtree_q) and paging is keyset on
            # (unit_path, id): both are answered by this one index.
            models.Index(fields=["unit_path", "id"], name="person_unitpath_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=PersonCategory.values), name="person_category_valid"
            ),
        ]

    def __str__(self):
        return self.name

    def age_on(self, day):
        return day.year - self.birth_date.year - (
            (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        )


class PostHistory(models.Model):
    """Where a person stood from one day to another: unit, category, post and roles.

    Person keeps only today's values; rules that judge the past (learning regimes, talk
    duties) need them as they were on each day. A person with no rows has always been
    as they are now; the first dated change writes the row before it as well. Rows of a
    person never overlap and the last one is open (``valid_to`` empty).
    """

    person = models.ForeignKey(Person, models.CASCADE, related_name="post_history",
                               verbose_name=_("person"))
    # Empty: since before anything was recorded.
    valid_from = models.DateField(_("from"), null=True, blank=True)
    valid_to = models.DateField(_("to"), null=True, blank=True)
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name=_("unit"))
    # The unit of the row before, when this row begins with a move (the talks app lists
    # moves).
    moved_from = models.ForeignKey(OrgUnit, models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("moved from"))
    category = models.CharField(_("category"), max_length=16, choices=PersonCategory.choices)
    post = models.CharField(_("post"), max_length=100, blank=True)
    roles = models.JSONField(_("roles"), default=list, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                    blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["person", "valid_from"], name="posthistory_person_from")]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")), name="posthistory_to_after_from"),
            models.UniqueConstraint(fields=["person"], condition=Q(valid_to__isnull=True),
                                    name="posthistory_one_open_row"),
        ]
        verbose_name = _("post history")
        verbose_name_plural = _("post history")

    def __str__(self):
        return f"{self.person_id} {self.valid_from or '…'}–{self.valid_to or '…'}"


class ResumeEntry(models.Model):
    """One line of a person's résumé (A17)."""

    person = models.ForeignKey(Person, models.CASCADE, related_name="resume")
    start = models.DateField(_("from"))
    end = models.DateField(_("to"), null=True, blank=True)
    text = models.CharField(_("unit and post"), max_length=300)

    class Meta:
        ordering = ["start", "id"]
        indexes = [models.Index(fields=["person", "start"], name="resume_person_start")]
        constraints = [
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                                   name="resume_end_after_start"),
        ]
        verbose_name = _("résumé line")
        verbose_name_plural = _("résumé")

    def __str__(self):
        return f"{self.start:%Y.%m} {self.text}"


class FamilyMember(models.Model):
    """A family member or social relation (A36)."""

    class Kind(models.TextChoices):
        FAMILY = "family", _("Family member")
        SOCIAL = "social", _("Social relation")

    person = models.ForeignKey(Person, models.CASCADE, related_name="family")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.FAMILY)
    relation = models.ForeignKey(DictItem, models.PROTECT, related_name="+",
                                 verbose_name=_("relation"))
    # Family details are personal information of third parties: encrypted at rest.
    name = EncryptedTextField(_("full name"), max_length=50)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    political_status = models.ForeignKey(
        DictItem, models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name=_("political status"),
    )
    work_unit_and_post = EncryptedTextField(_("work unit and post"), max_length=200, blank=True)
    is_deceased = models.BooleanField(_("deceased"), default=False)

    class Meta:
        ordering = ["kind", "id"]
        indexes = [models.Index(fields=["person", "kind"], name="family_person_kind")]
        verbose_name = _("family member")
        verbose_name_plural = _("family members and social relations")

    def __str__(self):
        return f"{self.relation} {self.name}"


class RewardPunishment(models.Model):
    """A reward or a punishment (A14)."""

    class Kind(models.TextChoices):
        REWARD = "reward", _("Reward")
        PUNISHMENT = "punishment", _("Punishment")

    person = models.ForeignKey(Person, models.CASCADE, related_name="rewards")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=100)
    issuer = models.CharField(_("issued by"), max_length=100, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["-date", "id"]
        indexes = [models.Index(fields=["person", "date"], name="reward_person_date")]
        verbose_name = _("reward or punishment")
        verbose_name_plural = _("rewards and punishments")

    def __str__(self):
        return f"{self.date} {self.title}"


class AnnualAssessment(models.Model):
    """An annual assessment result (A15)."""

    person = models.ForeignKey(Person, models.CASCADE, related_name="assessments")
    year = models.PositiveIntegerField(_("year"))
    result = models.ForeignKey(DictItem, models.PROTECT, related_name="+",
                               verbose_name=_("result"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    # The text the result was read from (an LRMX file's 年度考核结果), kept as written so
    # that the parsed years can be checked against it.
    source_text = models.TextField(_("text as written"), blank=True)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="assessment_person_year"),
        ]
        verbose_name = _("annual assessment")
        verbose_name_plural = _("annual assessments")

    def __str__(self):
        return f"{self.year} {self.result}"


class Role(models.TextChoices):
    HEAD = "head", _("Department head")
    DEPUTY = "deputy", _("Deputy head")
    SECTION_CHIEF = "section_chief", _("Section chief")
    CADRE = "cadre", _("Organization cadre")
    SUPERVISION = "supervision", _("Supervision officer")
    ASSESSMENT = "assessment", _("Assessment office")
    SYSADMIN = "sysadmin", _("System administrator")
    SECADMIN = "secadmin", _("Security administrator")
    AUDITOR = "auditor", _("Auditor")


ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})


class Scope(models.TextChoices):
    ALL = "all", _("All")
    CUSTOM = "custom", _("Custom units")
    OWN_UNIT = "own_unit", _("Own unit")
    OWN_UNIT_AND_BELOW = "own_below", _("Own unit and below")
    SELF = "self", _("Self only")


class User(AbstractUser):
    """A login account; business users are linked to their person record."""

    person = models.OneToOneField(
        Person, models.SET_NULL, null=True, blank=True, related_name="account",
        verbose_name=_("person"),
    )
    must_change_password = models.BooleanField(_("must change password"), default=True)
    password_changed_at = models.DateTimeField(_("password changed"), null=True, blank=True)

    def password_change_required(self) -> bool:
        if self.must_change_password:
            return True
        max_age = settings.ZUGONG_PASSWORD_MAX_AGE_DAYS
        if max_age and self.password_changed_at:
            return (timezone.now() - self.password_changed_at).days >= max_age
        return False


class PasswordHistory(models.Model):
    """Earlier password hashes, so that the last N cannot be reused."""

    user = models.ForeignKey(User, models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["user", "created_at"], name="pwhist_user_created")]

    def __str__(self):
        return f"{self.user} {self.created_at:%Y-%m-%d}"


class RoleAssignment(models.Model):
    """A role held by a user, with the data scope it applies to."""

    user = models.ForeignKey(User, models.CASCADE, related_name="roles",
                             verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    scope = models.CharField(_("data scope"), max_length=12, choices=Scope.choices)
    unit = models.ForeignKey(
        OrgUnit, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("anchor unit"),
        help_text=_("For own-unit scopes; empty means the unit of the user's own record."),
    )
    units = models.ManyToManyField(
        OrgUnit, blank=True, related_name="+", verbose_name=_("custom units"),
        help_text=_("For custom scope, and the sections a deputy head is in charge of."),
    )
    granted_by = models.ForeignKey(User, models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="roleassignment_user_role"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="role_valid"),
            models.CheckConstraint(condition=Q(scope__in=Scope.values), name="scope_valid"),
        ]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")

    def __str__(self):
        return f"{self.user} · {self.get_role_display()}"


class RevokeReason(models.TextChoices):
    OWNER = "owner", _("revoked by its owner")
    SECURITY = "security", _("revoked by the security administrator")
    PASSWORD = "password", _("the password was changed")  # noqa: S105  # nosec B105
    DISABLED = "disabled", _("account disabled")


class ApiToken(models.Model):
    """A personal bearer token for the API; only its SHA-256 digest is stored."""

    user = models.ForeignKey(User, models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    # Every token ends (ZUGONG_API_TOKEN_DAYS after creation): a forgotten token in a
    # script or a leaked one stops working without anybody having to remember it.
    expires_at = models.DateTimeField(_("expires"), null=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(User, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("revoked by"))
    revoke_reason = models.CharField(_("why revoked"), max_length=20,
                                     choices=RevokeReason.choices, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is None or self.expires_at <= timezone.now()
