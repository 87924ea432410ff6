"""The OpenAPI document is truthful (issue 13 point 10): every component name belongs to
one schema, each operation's response points at its own schema, and the error answers a
client meets (401/403/404/409/422) are documented with the app's error shape."""

import pytest
from pydantic import BaseModel

from zugong.config.api import api

ERROR_STATUSES = {401, 403, 404, 409, 422}
# django-ninja's own per-operation wrappers: never components, so their names may repeat.
NINJA_WRAPPERS = {"BodyParams", "PathParams", "QueryParams", "NinjaResponseSchema"}


def _operations():
    for _prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for op in view.operations:
                yield path, op


def _models(annotation, found):
    """Every pydantic model reachable from ``annotation`` (fields, lists, unions)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in found:
            return
        found.add(annotation)
        for field in annotation.model_fields.values():
            _models(field.annotation, found)
        return
    for arg in getattr(annotation, "__args__", ()) or ():
        _models(arg, found)


def _all_models():
    found: set[type[BaseModel]] = set()
    for _path, op in _operations():
        for model in (op.response_models or {}).values():
            if hasattr(model, "model_fields"):
                _models(model, found)
        for model in op.models:
            _models(model, found)
    return found


@pytest.fixture(scope="module")
def document():
    return api.get_openapi_schema()


def test_component_names_are_unique():
    by_name: dict[str, dict] = {}
    clashes = []
    for model in _all_models():
        if model.__name__ in NINJA_WRAPPERS or model.__module__.startswith("ninja."):
            continue
        schema = model.model_json_schema()
        if model.__name__ in by_name and by_name[model.__name__] != schema:
            clashes.append(model.__name__)
        by_name.setdefault(model.__name__, schema)
    assert not clashes, f"two different schemas share a component name: {sorted(clashes)}"


def test_each_operations_response_schema_is_its_own(document):
    components = document["components"]["schemas"]
    wrong = []
    for path, op in _operations():
        for status, model in (op.response_models or {}).items():
            if not hasattr(model, "model_fields") or status in ERROR_STATUSES:
                continue
            inner = model.model_fields["response"].annotation
            if not (isinstance(inner, type) and issubclass(inner, BaseModel)):
                continue
            documented = components[inner.__name__]
            own = inner.model_json_schema(ref_template="#/components/schemas/{model}")
            if set(documented.get("properties", {})) != set(own.get("properties", {})):
                wrong.append(f"{op.operation_id} {path} {status}: {inner.__name__}")
    assert not wrong, wrong


def test_the_visit_plan_is_documented_with_its_own_schema(document):
    ok = document["paths"]["/api/v1/visits/plan"]["get"]["responses"][200]
    ref = ok["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert "term_id" in document["components"]["schemas"][ref]["properties"]


def test_error_answers_are_documented_on_every_operation(document):
    missing = []
    for path, methods in document["paths"].items():
        for method, spec in methods.items():
            statuses = {int(s) for s in spec["responses"] if str(s).isdigit()}
            expected = {401, 403, 404, 422} | ({409} if method in ("patch", "put") else set())
            if not expected <= statuses:
                missing.append(f"{method.upper()} {path}: {sorted(expected - statuses)}")
    assert not missing, missing
    error = document["components"]["schemas"]["Error"]
    assert set(error["properties"]) == {"error"}
