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
