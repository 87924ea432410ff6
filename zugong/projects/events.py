"""Audit action names and notice kinds of the projects app (<app>.<entity>.<verb>)."""

PROJECT_DECLARE = "projects.project.declare"
PROJECT_CLASSIFY = "projects.project.classify"
PROJECT_FUND = "projects.project.fund"
PROJECT_FINISH = "projects.project.finish"
PROJECT_EXPORT = "projects.project.export"
FOLLOWUP_RECORD = "projects.followup.record"
RULE_UPDATE = "projects.rule.update"

NOTICE_OWED = "projects.followup.owed"
NOTICE_CLASSIFIED = "projects.project.classified"

IDEA_SUBMIT = "projects.idea.submit"
IDEA_REVIEW = "projects.idea.review"
ADOPTION_RECORD = "projects.adoption.record"
IDEA_EXPORT = "projects.idea.export"
ADOPTION_EXPORT = "projects.adoption.export"
