"""Cross-cutting records: code tables, the audit chain, job runs and notices."""

import json

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .fields import EncryptedTextField


class DictTable(models.TextChoices):
    SEX = "sex", _("Sex")
    ETHNICITY = "ethnicity", _("Ethnicity")
    POLITICAL_STATUS = "political_status", _("Political status")
    EDUCATION = "education", _("Education")
    DEGREE = "degree", _("Degree")
    FAMILY_RELATION = "family_relation", _("Family relation")
    HEALTH = "health", _("Health")
    POST_LEVEL = "post_level", _("Post level")
    DIVISION = "division", _("Administrative division")
    ASSESSMENT_RESULT = "assessment_result", _("Annual assessment result")


class DictItem(models.Model):
    """One entry of a national code table, editable by the security administrator."""

    table = models.CharField(_("table"), max_length=32, choices=DictTable.choices)
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=64)
    parent_code = models.CharField(_("parent code"), max_length=16, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    origin = models.CharField(_("origin"), max_length=64, blank=True)

    class Meta:
        ordering = ["table", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["table", "code"], name="dictitem_table_code_uniq")
        ]
        verbose_name = _("code table entry")
        verbose_name_plural = _("code table entries")

    def __str__(self):
        return self.name


class AuditEntry(models.Model):
    """One append-only audit record, chained to the previous one by HMAC-SM3.

    The database refuses UPDATE and DELETE on this table (triggers, migration 0006), so the
    actor is kept as it was when a user is removed (DO_NOTHING): setting it to NULL would be
    an update, and would change what the MAC covers.
    """

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True)
    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING,
        related_name="+", db_constraint=False,
    )
    actor_username = models.CharField(_("user"), max_length=150, blank=True, db_index=True)
    ip = models.CharField(_("IP address"), max_length=45, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    # Which fields the entry records (the keys of its before/after values), for the auditor;
    # the values themselves are encrypted apart, in AuditPayload. Checked by verification
    # against the decrypted values, so it cannot be changed either.
    fields = models.JSONField(_("fields"), default=list, blank=True)
    prev_mac = models.CharField(max_length=64, blank=True)
    mac = models.CharField(max_length=64)
    # The key that signed ``mac``: after a rotation, older entries verify with their own key.
    # Not covered by the MAC itself; naming another key only makes the MAC fail.
    key_version = models.CharField(_("key version"), max_length=16)

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self):
        return f"#{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit entries are append-only")

    # The values an entry records, decrypted from its AuditPayload (None without one). Read
    # them through console.selectors, which checks the reader's right and scope; only
    # verification and tests read them here.
    @property
    def before(self):
        return self._values()[0]

    @property
    def after(self):
        return self._values()[1]

    def _values(self) -> tuple:
        cached = getattr(self, "_zg_values", None)
        if cached is None:
            try:
                data = json.loads(self.payload.data)
            except ObjectDoesNotExist:
                data = {}
            cached = self._zg_values = (data.get("before"), data.get("after"))
        return cached


class AuditPayload(models.Model):
    """The before/after values of one audit entry, SM4-encrypted at rest.

    Kept apart from the entry so that the entries table stays wholly append-only (the
    triggers of migration 0006) while ``zugong reencrypt`` can still rewrite this
    ciphertext under a new key. The entry's MAC covers the plaintext values, so a changed,
    swapped or deleted payload fails verification like a changed entry.
    """

    entry = models.OneToOneField(AuditEntry, models.DO_NOTHING, primary_key=True,
                                 related_name="payload", db_constraint=False)
    data = EncryptedTextField()

    class Meta:
        verbose_name = _("audit values")
        verbose_name_plural = _("audit values")

    def __str__(self):
        return f"values of #{self.entry_id}"


class AuditHead(models.Model):
    """Single row locked while appending, so the chain is never forked by two writers."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_mac = models.CharField(max_length=64, blank=True)

    def __str__(self):
        return f"audit head #{self.last_seq}"


class AuditCheckpoint(models.Model):
    """A signed note, written by each verification, that entry ``seq`` had MAC ``entry_mac``.

    It lives outside the entries table so that cutting the tail of the chain (deleting the
    last entries and moving the head back) no longer verifies: a checkpoint names an entry
    that is gone, or whose MAC differs. ``signature`` (HMAC-SM3 with the audit key of
    ``key_version``) stops anyone without the key from forging or moving a checkpoint, and
    ``digest`` lets entries signed with a retired key still verify after a rotation.
    """

    seq = models.PositiveBigIntegerField(_("sequence"), db_index=True)
    entry_mac = models.CharField(max_length=64)
    # SM3 over content and MAC of entries 1..seq: vouches for entries whose key is retired.
    digest = models.CharField(max_length=64)
    at = models.DateTimeField(_("time"))
    key_version = models.CharField(_("key version"), max_length=16)
    signature = models.CharField(max_length=64)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")

    def __str__(self):
        return f"checkpoint #{self.seq} {self.at:%Y-%m-%d %H:%M}"


class JobRun(models.Model):
    """A visible record of one run of a scheduled or background job."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    name = models.CharField(_("job"), max_length=100, db_index=True)
    started_at = models.DateTimeField(_("started"), db_index=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    message = models.TextField(_("message"), blank=True)
    # Background work somebody started from a page (an import, a big export); scheduled
    # runs have no owner. Only the owner sees the run's page and its result file.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, null=True,
                              blank=True, related_name="+", verbose_name=_("started by"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    # The function and its arguments (filters may hold names): encrypted at rest.
    func = models.CharField(_("function"), max_length=200, blank=True)
    params = EncryptedTextField(_("parameters"), blank=True, default="")
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    # "host:pid" of the process running it, and when it last reported progress: a run
    # whose process died is recognised and marked failed instead of "running" forever.
    worker = models.CharField(_("worker"), max_length=100, blank=True)
    heartbeat_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    # The result: a file under the data folder (served only to the owner) and/or a page.
    result_path = models.CharField(_("result file"), max_length=300, blank=True)
    result_name = models.CharField(_("file name"), max_length=200, blank=True)
    result_url = models.CharField(_("result page"), max_length=300, blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["owner", "started_at"], name="jobrun_owner_started"),
                   models.Index(fields=["status", "heartbeat_at"], name="jobrun_status_beat")]
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")

    def __str__(self):
        return f"{self.name} {self.started_at:%Y-%m-%d %H:%M}"


class Notice(models.Model):
    """One in-app notice to one user about one record; ``read_at`` is the read receipt."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices",
        verbose_name=_("recipient"),
    )
    # A key of the calling app ("learning.behind"), so that apps can group or filter theirs.
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Same key twice for one recipient is one notice: a job that runs twice notifies once.
    dedupe_key = models.CharField(_("deduplication key"), max_length=120, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], condition=~models.Q(dedupe_key=""),
                name="notice_recipient_dedupe_uniq",
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at", "created_at"],
                         name="notice_recipient_read_created"),
        ]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def __str__(self):
        return self.title


class RecycledRecord(models.Model):
    """A deleted record in the recycle bin (回收站): its rows, encrypted, until restored,
    purged after the retention period, or erased on request."""

    # The deleted record itself; its cascade children travel in the same payload.
    model = models.CharField(_("record type"), max_length=100)  # "people.resumeentry"
    object_pk = models.CharField(_("record id"), max_length=64)
    label = models.CharField(_("record"), max_length=200)
    # JSON list of Django-serialized rows (parents first) and the links SET_NULL cut.
    payload = EncryptedTextField(_("content"))
    rows = models.PositiveIntegerField(_("rows"), default=1)
    # Who may see and restore it: the capability that deletes it, on this person (when it
    # is about one) or this department. Plain ids: the person may be erased later on.
    cap = models.CharField(_("capability"), max_length=64)
    person_id = models.PositiveBigIntegerField(_("person"), null=True, blank=True)
    department_id = models.PositiveBigIntegerField(_("department"), null=True, blank=True,
                                                   db_index=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("deleted by"),
    )
    deleted_at = models.DateTimeField(_("deleted at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-deleted_at", "-id"]
        indexes = [models.Index(fields=["model", "object_pk"], name="recycled_model_pk")]
        verbose_name = _("deleted record")
        verbose_name_plural = _("deleted records")

    def __str__(self):
        return self.label


class IdempotencyKey(models.Model):
    """A write the client named with a key (API ``Idempotency-Key``, a form's one-time
    token): the same key again replays the first answer instead of writing twice."""

    class Scope(models.TextChoices):
        API = "api", _("API request")
        FORM = "form", _("form submission")

    scope = models.CharField(max_length=8, choices=Scope.choices)
    # "u<user id>" for a session, "t<digest of the bearer token>" for an API token.
    owner = models.CharField(max_length=80)
    key = models.CharField(max_length=200)
    method_path = models.CharField(max_length=300)
    body_digest = models.CharField(max_length=64)
    # Null while the first request is still running.
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    location = models.CharField(max_length=500, blank=True)
    # The first answer may carry personal data, so it is stored like other sensitive text.
    response = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "scope", "key"],
                                    name="idempotency_owner_scope_key_uniq"),
        ]
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")

    def __str__(self):
        return f"{self.scope}:{self.key}"
