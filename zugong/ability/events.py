"""Audit action names and notice kinds of the ability app (<app>.<entity>.<verb>)."""

LECTURE_RECORD = "ability.lecture.record"
LECTURE_UPDATE = "ability.lecture.update"
LECTURE_EXPORT = "ability.lecture.export"
PAIR_RECORD = "ability.pair.record"
PAIR_CLOSE = "ability.pair.close"
CHECKIN_RECORD = "ability.checkin.record"
EVALUATION_RECORD = "ability.evaluation.record"
TRAINING_RECORD = "ability.training.record"
SUMMARY_SUBMIT = "ability.trainee.summary"

NOTICE_CHECKIN_MISSED = "ability.checkin.missed"
