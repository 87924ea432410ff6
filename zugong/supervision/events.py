"""Audit action names and notice kinds of the supervision app (<app>.<entity>.<verb>)."""

MEASURE_RECORD = "supervision.measure.record"
MEASURE_REPLY = "supervision.measure.reply"
MEASURE_VIEW = "supervision.measure.view"
MEASURE_EXPORT = "supervision.measure.export"
REPORT_FILE = "supervision.report.file"
REPORT_CHECK = "supervision.report.check"
REPORT_VIEW = "supervision.report.view"

NOTICE_REPORT_DUE = "supervision.report.due"
NOTICE_REPORT_OVERDUE = "supervision.report.overdue"
COMMITMENT_SIGN = "supervision.commitment.sign"
PACKAGE_RECORD = "supervision.package.record"
SELFCHECK_RECORD = "supervision.selfcheck.record"
SELFCHECK_CLOSE = "supervision.selfcheck.close"
SELFCHECK_VIEW = "supervision.selfcheck.view"
SECTION_RATING_RECORD = "supervision.section_rating.record"
FAMILY_RATING_RECORD = "supervision.family_rating.record"
STUDY_RECORD = "supervision.study.record"
STUDY_VIEW = "supervision.study.view"
ARCHIVE_REQUEST = "supervision.archive_request.request"
ARCHIVE_DECIDE = "supervision.archive_request.decide"
ARCHIVE_REQUEST_VIEW = "supervision.archive_request.view"
ARCHIVE_VIEW = "supervision.archive.view"
ARCHIVE_ENTRY_FILE = "supervision.archive_entry.file"
NOTICE_ARCHIVE_REQUEST = "supervision.archive.requested"
NOTICE_ARCHIVE_DECIDED = "supervision.archive.decided"
LEAD_RECORD = "supervision.lead.record"
LEAD_ASSIGN = "supervision.lead.assign"
LEAD_VERIFY = "supervision.lead.verify"
LEAD_CLOSE = "supervision.lead.close"
LEAD_VIEW = "supervision.lead.view"
LEAD_EXPORT = "supervision.lead.export"
RATING_EXPORT = "supervision.rating.export"
OBSERVATION_RECORD = "supervision.observation.record"
NOTICE_LEAD_ASSIGNED = "supervision.lead.assigned"


# Memo scopes (core.memo). The early-warning list (``selectors.warnings_page``) is kept per
# user and reads the scope of each department it covers; every service that writes what it
# counts bumps the scope of the person's department: measure_record, observation_record
# (one giving cause for concern), report_file (a yearly report), selfcheck_record and
# selfcheck_close; measure_reply and report_check change nothing the list counts. The
# warning rules and levels are read fresh and are part of the key, so they need no bump.
def warnings_scope(department_id: int) -> str:
    return f"supervision:warnings:dept:{department_id}"
