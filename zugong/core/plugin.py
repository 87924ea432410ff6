"""The platform's own scheduled jobs and its health URL (the kit has no pages behind a
sign-in, no capabilities and no menu)."""

from zugong.core.registry import Job, Plugin

PLUGIN = Plugin(
    urls=(("", "zugong.core.urls"),),
    jobs=(
        Job("audit_verify", "zugong.core.tasks.verify_audit_chain",
            {"hour": "2", "minute": "15"}),
        Job("clear_sessions", "zugong.core.tasks.clear_expired_sessions", {"minute": "*/30"}),
        # Before the audit check, outside office hours; retention is ZUGONG_BACKUP_KEEP.
        # Runs whose process died are marked failed; result files are deleted when old.
        Job("jobs_sweep", "zugong.core.jobs.jobs_sweep", {"minute": "*/5"}),
        Job("backup", "zugong.core.backup.nightly_backup", {"hour": "1", "minute": "30"}),
    ),
)
