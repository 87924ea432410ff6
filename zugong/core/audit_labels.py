"""How the audit log reads in Chinese: action names, object types and field names.

An action is named "<app>.<entity>.<verb>" (``core.audit``). Its label is composed, so no
central list names every app's actions (core imports no app): the verb from the common
verbs below or the app's plugin (``audit_verbs``), the entity from the app's plugin
(``audit_entities``) or else the ``verbose_name`` of the app's model of that name
("talks.talk" is the model ``talks.Talk``; "talks.visit_flags" is ``talks.VisitFlags``).
A plugin's ``audit_actions`` gives a whole action its own label where the composition
reads badly ("core.login.failure": 登录失败). Field names read as the model's field
``verbose_name``, or the plugin's ``audit_fields`` for a value key that is no field
("talks.talk.with": 谈话对象). Anything without a label is shown as it is, never hidden.
"""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .registry import audit_names

# The verbs most apps use; an app adds its own in its plugin's ``audit_verbs``.
COMMON_VERBS = {
    "acknowledge": gettext_lazy("acknowledge"),
    "add": gettext_lazy("add"),
    "adjust": gettext_lazy("adjust"),
    "answer": gettext_lazy("answer"),
    "apply": gettext_lazy("apply"),
    "approve": gettext_lazy("approve"),
    "assign": gettext_lazy("assign"),
    "cancel": gettext_lazy("cancel"),
    "change": gettext_lazy("change"),
    "clear": gettext_lazy("clear"),
    "close": gettext_lazy("close"),
    "confirm": gettext_lazy("confirm"),
    "create": gettext_lazy("create"),
    "delete": gettext_lazy("delete"),
    "discard": gettext_lazy("discard"),
    "dispatch": gettext_lazy("dispatch"),
    "done": gettext_lazy("complete"),
    "edit": gettext_lazy("edit"),
    "export": gettext_lazy("export"),
    "file": gettext_lazy("file"),
    "freeze": gettext_lazy("freeze"),
    "grant": gettext_lazy("grant"),
    "import": gettext_lazy("import"),
    "issue": gettext_lazy("issue"),
    "open": gettext_lazy("open"),
    "prepare": gettext_lazy("prepare"),
    "read": gettext_lazy("read"),
    "record": gettext_lazy("record"),
    "refuse": gettext_lazy("refuse"),
    "remind": gettext_lazy("remind about"),
    "remove": gettext_lazy("remove"),
    "reopen": gettext_lazy("reopen"),
    "request": gettext_lazy("request"),
    "reset": gettext_lazy("reset"),
    "retire": gettext_lazy("retire"),
    "return": gettext_lazy("return"),
    "review": gettext_lazy("review"),
    "revoke": gettext_lazy("revoke"),
    "save": gettext_lazy("save"),
    "set": gettext_lazy("set"),
    "submit": gettext_lazy("submit"),
    "unlock": gettext_lazy("unlock"),
    "update": gettext_lazy("update"),
    "verify": gettext_lazy("verify"),
    "view": gettext_lazy("view"),
}


def _model(app_label: str, name: str):
    try:
        return apps.get_model(app_label, name.replace("_", ""))
    except (LookupError, ValueError):
        return None


def _named_entity(key: str):
    # "talks.visit_flags" (an action's entity) and "talks.visitflags" (a model's label, an
    # entry's object type) name the same thing.
    entities = audit_names()["entities"]
    if key in entities:
        return entities[key]
    flat = key.replace("_", "")
    return next((label for name, label in entities.items()
                 if name.replace("_", "") == flat), None)


def entity_label(app_label: str, entity: str) -> str | None:
    label = _named_entity(f"{app_label}.{entity}")
    if label is None:
        model = _model(app_label, entity)
        label = model._meta.verbose_name if model is not None else None
    return str(label) if label is not None else None


def action_label(name: str) -> str:
    """The Chinese label of an action "<app>.<entity>.<verb>"; the name itself if none."""
    names = audit_names()
    if name in names["actions"]:
        return str(names["actions"][name])
    parts = name.split(".")
    if len(parts) != 3:
        return name
    app_label, entity, verb = parts
    verb_label = names["verbs"].get(verb) or COMMON_VERBS.get(verb)
    thing = entity_label(app_label, entity)
    if verb_label is None or thing is None:
        return name
    # Chinese puts the verb first: 新建 + 谈话 = "新建谈话".
    return _("%(verb)s %(entity)s") % {"verb": verb_label, "entity": thing}


def object_label(object_type: str) -> str:
    """The model's verbose name for "<app>.<model>" (an entry's object type)."""
    app_label, _dot, name = object_type.partition(".")
    return (entity_label(app_label, name) if name else None) or object_type


def _field_verbose_name(app_label: str, model_name: str, name: str) -> str | None:
    model = _model(app_label, model_name) if model_name else None
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    # A reverse relation ("recycled" on a person) has no verbose name of its own.
    label = getattr(field, "verbose_name", None)
    return str(label) if label is not None else None


def field_label(object_type: str, name: str, action: str = "") -> str:
    """The Chinese name of a value key of an entry: the verbose name of that field of the
    entry's model, else of the model the action names ("tasks.entry.add" on a task records
    the entry's fields), else the plugin's label for a key that is no model field
    ("talks.talk.with"); the key itself if none."""
    app_label, _dot, model_name = object_type.partition(".")
    label = _field_verbose_name(app_label, model_name, name)
    parts = action.split(".")
    if label is None and len(parts) == 3:
        label = _field_verbose_name(parts[0], parts[1], name)
    if label is None:
        fields = audit_names()["fields"]
        label = fields.get(f"{object_type}.{name}")
        if label is None and len(parts) == 3:
            label = fields.get(f"{parts[0]}.{parts[1]}.{name}")
    return str(label) if label is not None else name
