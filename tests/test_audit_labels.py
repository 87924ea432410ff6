"""Every audit action and notice kind the code names reads in Chinese (issue 13 point 2).

The names are collected from the source, so a new action without a label fails here
rather than showing "people.twofactor.enrol" to the auditor.
"""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import translation

from zugong.core.audit_labels import action_label, field_label, object_label
from zugong.core.registry import audit_names

SOURCE = Path(__file__).resolve().parents[1] / "zugong"
DOTTED = re.compile(r"^[a-z_]+\.[a-z_0-9]+\.[a-z_0-9]+$")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _named_actions() -> set[str]:
    """String constants of the form <app>.<entity>.<verb> in the apps' own code."""
    app_labels = {config.label for config in apps.get_app_configs()}
    value_keys = set(audit_names()["fields"])  # "talks.talk.with" names a value, not an action
    found = set()
    for path in SOURCE.rglob("*.py"):
        # Settings name packages ("django_otp.plugins.otp_totp"), not actions.
        if {"tests", "migrations", "config"} & set(path.parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and DOTTED.match(node.value)
                    and node.value.split(".")[0] in app_labels
                    and node.value not in value_keys):
                found.add(node.value)
    return found


def test_the_scan_finds_the_actions_of_every_app():
    names = _named_actions()
    # Sanity: the scan sees each app's actions (a broken scan would pass vacuously).
    for name in ("people.twofactor.enrol", "tasks.task.add", "assessment.ballot.cast",
                 "learning.record.create", "interop.batch.prepare", "core.recycled.restore",
                 "talks.talk.record", "supervision.report.overdue"):
        assert name in names
    assert len(names) > 120


@pytest.mark.django_db
def test_every_named_action_has_a_chinese_label():
    with translation.override("zh-hans"):
        unlabelled = sorted((name, action_label(name)) for name in _named_actions()
                            if action_label(name) == name or not CJK.search(action_label(name)))
        # Labels built from an English model name ("新增task") count as unlabelled too.
        half = sorted((name, action_label(name)) for name in _named_actions()
                      if re.search(r"[\u4e00-\u9fff][a-z]", action_label(name)))
    assert unlabelled == [] and half == []


@pytest.mark.django_db
def test_field_and_object_labels_fall_back_to_the_actions_entity_and_never_fail():
    with translation.override("zh-hans"):
        # The note's values are recorded on the person it is about.
        assert field_label("people.person", "text", "assessment.note.add") == "纪实内容"
        # A value key that is also a reverse relation of the model ("recycled").
        assert field_label("people.person", "recycled", "people.annual_assessment.delete") \
            == "回收站条目"
        # A field of the action's model when the entry's object is another one.
        assert field_label("tasks.task", "percent", "tasks.entry.add") != "percent"
        assert CJK.search(object_label("talks.coveragerule"))
        assert CJK.search(object_label("talks.triggerevent"))
        assert action_label("tasks.task.add") == "新增工作任务"
        assert action_label("people.twofactor.enrol") == "绑定双因素认证"
