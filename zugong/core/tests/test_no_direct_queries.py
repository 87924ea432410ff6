"""Views and API endpoints read through selectors and access helpers, never
``Model.objects`` (DESIGN.md, "How code is written"): a direct query there skips the
user's scope, and that is how one county's cadres become visible to another.

Every app's views and API now read through selectors, so ``PENDING`` (files allowed a
number of direct queries while they were being moved) is empty: any direct query fails.
"""

import ast
from collections import Counter
from pathlib import Path

import zugong

ROOT = Path(zugong.__file__).resolve().parent

# {path relative to zugong/: number of direct `Model.objects` uses still there}.
PENDING: dict[str, int] = {}


def _files() -> list[Path]:
    found = []
    for name in ("views", "api"):
        found += ROOT.glob(f"*/{name}.py")
        found += ROOT.glob(f"*/{name}/**/*.py")
    return sorted(set(found))


def direct_queries(source: str) -> list[int]:
    """Line numbers of ``<CapitalisedName>.objects`` in ``source``."""
    return [node.lineno for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Attribute) and node.attr == "objects"
            and isinstance(node.value, ast.Name) and node.value.id[:1].isupper()]


def _counts() -> Counter:
    counts: Counter = Counter()
    for path in _files():
        lines = direct_queries(path.read_text(encoding="utf-8"))
        if lines:
            counts[path.relative_to(ROOT).as_posix()] = len(lines)
    return counts


def test_the_scanner_finds_a_direct_query_and_ignores_managers_of_other_things():
    source = (
        "from .models import Talk\n"
        "def view(request, pk):\n"
        "    talk = Talk.objects.get(pk=pk)\n"
        "    talks = talk_list(user=request.user).filter(pk=pk)\n"
        "    other = request.user.objects\n"
        "    return Talk.objects.filter(person=talk.person)\n"
    )
    assert direct_queries(source) == [3, 6]


def test_the_scan_covers_every_apps_views_and_api():
    names = {p.relative_to(ROOT).as_posix() for p in _files()}
    assert {"people/views.py", "people/api.py", "config/api.py"} <= names


def test_no_view_or_api_file_adds_a_direct_model_query():
    grown = {f: (n, PENDING.get(f, 0)) for f, n in _counts().items() if n > PENDING.get(f, 0)}
    assert not grown, (
        "views/API must call selectors and get-for-user helpers, not Model.objects; "
        f"file: (now, allowed) = {grown}"
    )
