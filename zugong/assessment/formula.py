"""Formulas of automatic indicators: a tiny arithmetic language kept as data.

A formula turns a metric's value into points, e.g. ``min(value / target * 100, 100)``.
It is parsed with Python's ``ast`` module and evaluated by walking a whitelist of node
types — numbers, the names ``value``, ``target`` and ``max_score``, ``+ - * /``, unary minus,
parentheses and the functions ``min`` and ``max`` — so no formula can run code, read
attributes or call anything else (``eval`` is never used). Division by zero gives 0.
The result is clamped to [0, the indicator's maximum] by the caller.
"""

from __future__ import annotations

import ast
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

NAMES = ("value", "target", "max_score")
FUNCTIONS = {"min": min, "max": max}
MAX_LENGTH = 200
_OPS = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
        ast.Mult: lambda a, b: a * b, ast.Div: lambda a, b: a / b if b else Decimal(0)}


class FormulaError(ValueError):
    """The formula is not in the language; the message says why, in the user's language."""


def _check(node: ast.AST) -> None:
    if isinstance(node, ast.Expression):
        _check(node.body)
    elif isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise FormulaError(_("Only numbers may appear as constants."))
    elif isinstance(node, ast.Name):
        if node.id not in NAMES:
            raise FormulaError(_("Unknown name “%(name)s”: use value, target or max_score.")
                               % {"name": node.id})
    elif isinstance(node, ast.BinOp):
        if type(node.op) not in _OPS:
            raise FormulaError(_("Only + - * / are allowed."))
        _check(node.left)
        _check(node.right)
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, ast.USub | ast.UAdd):
            raise FormulaError(_("Only + - * / are allowed."))
        _check(node.operand)
    elif isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS \
                or node.keywords or not node.args:
            raise FormulaError(_("Only the functions min(…) and max(…) are allowed."))
        for arg in node.args:
            _check(arg)
    else:
        raise FormulaError(_("The formula may use numbers, value, target, max_score, "
                             "+ - * /, parentheses, min and max only."))


def parse(text: str) -> ast.Expression:
    text = (text or "").strip()
    if not text:
        raise FormulaError(_("Give a formula, e.g. min(value / target * 100, 100)."))
    if len(text) > MAX_LENGTH:
        raise FormulaError(_("The formula is too long."))
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise FormulaError(_("The formula cannot be read: check brackets and operators.")) \
            from exc
    _check(tree)
    return tree


def _eval(node: ast.AST, names: dict[str, Decimal]) -> Decimal:
    if isinstance(node, ast.Expression):
        return _eval(node.body, names)
    if isinstance(node, ast.Constant):
        return Decimal(str(node.value))
    if isinstance(node, ast.Name):
        return names[node.id]
    if isinstance(node, ast.BinOp):
        return _OPS[type(node.op)](_eval(node.left, names), _eval(node.right, names))
    if isinstance(node, ast.UnaryOp):
        value = _eval(node.operand, names)
        return -value if isinstance(node.op, ast.USub) else value
    call: ast.Call = node  # the checker admits nothing else
    return FUNCTIONS[call.func.id](*(_eval(a, names) for a in call.args))


def evaluate(text: str, *, value, target=None, max_score=100) -> Decimal:
    tree = parse(text)
    names = {"value": Decimal(value or 0), "target": Decimal(target or 0),
             "max_score": Decimal(max_score)}
    try:
        return _eval(tree, names)
    except (InvalidOperation, OverflowError) as exc:
        raise FormulaError(_("The formula gives no number.")) from exc


def validate(text: str, *, target=None, max_score=100) -> None:
    """Parse, then try the formula on a few values so that a saved formula always works."""
    for trial in (0, 1, 10**6):
        evaluate(text, value=trial, target=target, max_score=max_score)


def points(text: str, *, value, target, max_score) -> Decimal:
    """The formula's result clamped to [0, max_score], two decimals."""
    raw = evaluate(text, value=value, target=target, max_score=max_score)
    return min(max(raw, Decimal(0)), Decimal(max_score)).quantize(Decimal("0.01"))
