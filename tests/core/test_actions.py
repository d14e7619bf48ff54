"""Actions are an enum; every action checked in the code is granted, every granted one checked.

The source of ``reliefops/`` is walked (AST): each use of an ``Action`` member must sit
where a permission check consumes it — an argument of ``require``/``require_write``/
``user_can``/``can_write``/``scope_queryset``/``allowed_area_ids``/
``user_organisation_ids``, or a declaration whose consumer passes it to one of those
(a workflow ``Transition``, an importer's ``permission``, a ``NavItem``, the ``action=``
of ``warehouse_list``). A use anywhere else fails the test, so nothing counts as checked
by accident; and the consumers themselves are verified to call a check.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from reliefops.access.roles import ADMIN_ONLY, ROLE_ACTIONS
from reliefops.accounts.choices import Role
from reliefops.core.actions import Action
from reliefops.core.permissions import allowed_area_ids, require, scope_queryset, user_can

ROOT = Path(__file__).resolve().parents[2] / "reliefops"
#: Where the policy grants actions and where the enum is defined: not uses.
NOT_USES = {ROOT / "access", ROOT / "core" / "actions.py", ROOT / "core" / "permissions.py"}
CHECKS = {
    "_require",  # places.services: require_write, or nothing for the system (actor None)
    "require",
    "require_write",
    "user_can",
    "can_write",
    "scope_queryset",
    "allowed_area_ids",
    "user_organisation_ids",
    # --- added for notices: whom an action waits for (user_can per candidate user)
    "users_allowed",
    "notice_recipients",
    "grants_for",
}
#: Declarations whose value a consumer hands to a check (consumer verified below).
DECLARING_CALLS = {"Transition", "NavItem"}
DECLARING_KEYWORD_CALLS = {"warehouse_list"}  # action= → scope_queryset(action=...)
#: Class attributes: Importer/Exporter.permission → require(self.permission);
#: NavItem.action → user_can(item.action).
DECLARING_CLASS_ATTRIBUTES = {"permission", "action"}
#: (file, expression text) that must be an argument of a check call: the consumers.
CONSUMERS = [
    ("core/workflow.py", "t.action"),
    ("core/exchange/importing.py", "self.permission"),
    ("core/exchange/exporting.py", "self.permission"),
    ("core/context_processors.py", "item.action"),
    ("stock/selectors.py", "action"),
    ("places/services.py", "action"),
    ("access/selectors.py", "action"),  # --- added for notices
    ("notices/selectors.py", "action"),
]


def _sources() -> Iterator[Path]:
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts or any(path.is_relative_to(p) for p in NOT_USES):
            continue
        yield path


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _aliases(tree: ast.Module) -> set[str]:
    """``Action`` and module-level names bound to it (``A = Action``)."""
    names = {"Action"}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Name)
            and node.value.id == "Action"
        ):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _consumed(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> str | None:
    """Why this use is a checked one (None: it is not)."""
    child, parent = node, parents.get(node)
    while parent is not None:
        if isinstance(parent, ast.Call) and child is not parent.func:
            name = _name(parent.func)
            if name in CHECKS:
                return f"check {name}"
            if name in DECLARING_CALLS:
                return f"declared in {name}"
            if name in DECLARING_KEYWORD_CALLS and isinstance(child, ast.keyword):
                return f"{child.arg}= of {name}" if child.arg == "action" else None
            return None
        if isinstance(parent, ast.comprehension) and child is parent.iter:
            outer = parents[parent]
            elt = getattr(outer, "elt", None)
            if isinstance(elt, ast.Call) and _name(elt.func) in CHECKS:
                return "iterated into a check"
            return None
        if isinstance(parent, ast.keyword):
            child, parent = parent, parents.get(parent)
            continue
        if isinstance(parent, (ast.Assign, ast.AnnAssign)) and isinstance(
            parents.get(parent), ast.ClassDef
        ):
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            if any(isinstance(t, ast.Name) and t.id in DECLARING_CLASS_ATTRIBUTES for t in targets):
                return "declared as a class attribute"
            return None
        if isinstance(parent, ast.arguments):
            return "a parameter's default (the function passes it to a check: CONSUMERS)"
        if isinstance(parent, (ast.Tuple, ast.List, ast.Set)):
            child, parent = parent, parents.get(parent)
            continue
        return None
    return None


def _walk() -> tuple[dict[Action, list[str]], list[str], list[str]]:
    checked: dict[Action, list[str]] = {}
    stray: list[str] = []
    strings: list[str] = []
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases, parents = _aliases(tree), _parents(tree)
        where = path.relative_to(ROOT)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and node.attr.isupper()
            ):
                reason = _consumed(node, parents)
                if reason is None:
                    stray.append(f"{where}:{node.lineno} Action.{node.attr}")
                else:
                    checked.setdefault(Action[node.attr], []).append(f"{where}:{node.lineno}")
            if isinstance(node, ast.Call) and _name(node.func) in CHECKS:
                actions = [k.value for k in node.keywords if k.arg == "action"] + node.args[1:2]
                for arg in actions:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        strings.append(f"{where}:{node.lineno} {arg.value!r}")
    return checked, stray, strings


CHECKED, STRAY, STRINGS = _walk()
GRANTED = {action for actions in ROLE_ACTIONS.values() for action in actions}


def test_every_action_use_is_a_check_and_no_check_takes_a_string() -> None:
    assert STRAY == [], "Action members used outside a permission check"
    assert STRINGS == [], "permission checks given a plain string"


def test_the_declaration_consumers_call_a_check() -> None:
    for file, expression in CONSUMERS:
        tree = ast.parse((ROOT / file).read_text(encoding="utf-8"))
        found = [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and _name(node.func) in CHECKS
            and any(
                ast.unparse(arg) == expression
                for arg in [*node.args, *(k.value for k in node.keywords)]
            )
        ]
        assert found, f"{file} no longer passes {expression} to a permission check"


def test_every_checked_action_is_granted_and_every_granted_action_is_checked() -> None:
    assert set(CHECKED) - GRANTED == set(), "checked but granted to no role"
    assert GRANTED - set(CHECKED) == set(), "granted but checked nowhere"
    assert set(Action) == set(CHECKED), "an action nobody checks"


def test_admin_only_actions_are_the_only_ones_no_other_role_has() -> None:
    others = {a for role, actions in ROLE_ACTIONS.items() if role != Role.ADMIN for a in actions}
    assert ROLE_ACTIONS[Role.ADMIN] == others | ADMIN_ONLY
    assert set(CHECKED) - others == ADMIN_ONLY


def test_the_walk_sees_what_it_must() -> None:
    """The walk finds the known checks (a broken walk would pass the tests above)."""
    assert "needs/services/steps.py" in " ".join(CHECKED[Action.REQUEST_APPROVE])
    assert "needs/services/steps.py" in " ".join(CHECKED[Action.COMMENT_ADD])
    assert "stock/services/pledges.py" in " ".join(CHECKED[Action.PLEDGE_EDIT])
    assert any("exchange.py" in w for w in CHECKED[Action.ROAD_EDIT])


@pytest.mark.django_db
def test_checks_refuse_plain_strings_at_run_time() -> None:
    from django.contrib.auth.models import AnonymousUser

    from reliefops.places.models import AdminArea

    for call in (
        lambda: user_can(AnonymousUser(), "view"),  # type: ignore[arg-type]
        lambda: require(AnonymousUser(), "request.submit"),  # type: ignore[arg-type]
        lambda: allowed_area_ids(AnonymousUser(), "view"),  # type: ignore[arg-type]
        lambda: scope_queryset(AnonymousUser(), AdminArea.objects.all(), action="vew"),  # type: ignore[arg-type]
    ):
        with pytest.raises(TypeError):
            call()
