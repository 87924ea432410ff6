"""The platform's own scheduled jobs and its health URL (the kit has no pages behind a
sign-in, no capabilities and no menu)."""

from django.utils.translation import gettext_lazy as _

from zugong.core.registry import Job, Plugin

PLUGIN = Plugin(
    urls=(("", "zugong.core.urls"),),
    jobs=(
        Job("audit_verify", "zugong.core.tasks.verify_audit_chain",
            {"hour": "2", "minute": "15"}),
        Job("clear_sessions", "zugong.core.tasks.clear_expired_sessions", {"minute": "*/30"}),
        # Before the audit check, outside office hours; retention is ZUGONG_BACKUP_KEEP.
        Job("backup", "zugong.core.backup.nightly_backup", {"hour": "1", "minute": "30"}),
        # After the backup, so a purged record is still in last night's copy.
        Job("recycle_purge", "zugong.core.tasks.purge_recycle_bin",
            {"hour": "1", "minute": "50"}),
        Job("idempotency_purge", "zugong.core.tasks.purge_idempotency_keys",
            {"hour": "*", "minute": "40"}),
        # Runs whose process died are marked failed; result files are deleted when old.
        Job("jobs_sweep", "zugong.core.jobs.jobs_sweep", {"minute": "*/5"}),
    ),
    # The audit log's Chinese names of the platform's own actions (core.audit_labels).
    audit_actions={
        "core.login.success": _("signed in"),
        "core.login.failure": _("failed sign-in"),
        "core.login.locked_out": _("account locked after failed sign-ins"),
        "core.logout.success": _("signed out"),
        "core.request.refused": _("request refused"),
        "core.crypto.reencrypt": _("re-encrypted with the new key"),
        "core.job.done": _("background job finished"),
        "core.job.failed": _("background job failed"),
        "core.recycled.restore": _("restore a deleted record"),
        "core.recycled.erase": _("erase a deleted record for good"),
        "core.recycled.purge": _("purge deleted records after retention"),
    },
    audit_fields={
        "core.auditentry.checked": _("entries checked"),
        "core.auditentry.problems": _("problems found"),
    },
)
