"""The platform's own scheduled jobs (the kit has no pages, capabilities or menu)."""

from zugong.core.registry import Job, Plugin

PLUGIN = Plugin(
    jobs=(
        Job("audit_verify", "zugong.core.tasks.verify_audit_chain",
            {"hour": "2", "minute": "15"}),
        Job("clear_sessions", "zugong.core.tasks.clear_expired_sessions", {"minute": "*/30"}),
    ),
)
