"""The file-format modules only read and write files: every registry read lives in
``exports``/``merge``/``selectors`` and every write in ``services`` (issue 12, point 5)."""

import ast
import pathlib

import pytest

HERE = pathlib.Path(__file__).resolve().parents[1]
FORMAT_MODULES = ("lrmx.py", "lrmx_writer.py", "workbook.py", "printform.py", "legacy.py")


@pytest.mark.parametrize("module", FORMAT_MODULES)
def test_a_format_module_touches_no_model_manager_or_transaction(module):
    tree = ast.parse((HERE / module).read_text())
    found = [f"line {node.lineno}: .{node.attr}" for node in ast.walk(tree)
             if isinstance(node, ast.Attribute) and node.attr in ("objects", "atomic")]
    imports = [f"line {node.lineno}: {node.module}" for node in ast.walk(tree)
               if isinstance(node, ast.ImportFrom) and node.module
               and node.module.endswith((".services", ".selectors", "access"))
               or isinstance(node, ast.ImportFrom) and node.module == "services"]
    assert not found and not imports, (module, found, imports)
