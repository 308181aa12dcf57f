"""The apps are layered: portal -> trust -> matrices -> accounts -> audit, and no module imports
another that imports it back.

Read from the code's own imports (module level; ``if TYPE_CHECKING:`` blocks and imports
inside functions aside). A deferred import inside a function is a cycle in disguise, so
each one is listed here with the reason it stays.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("portal", "trust", "matrices", "accounts", "audit")
# What each app may import, besides itself (Django, libraries and the standard library aside).
MAY_IMPORT = {
    "portal": {"trust", "matrices", "accounts", "audit"},
    "trust": {"matrices", "accounts", "audit"},
    "matrices": {"accounts", "audit"},
    "accounts": {"audit"},
    "audit": set(),
}
# module: (the deferred import, why it stays)
DEFERRED = {
    "matrices.tasks": (
        {"matrices.services.documents", "matrices.services.imports"},
        "the services schedule these tasks; the tasks call back into them",
    ),
    "audit.apps": ({"audit.signals"}, "Django's way to connect signal receivers when ready"),
    "matrices.apps": ({"matrices.checks"}, "Django's way to register system checks when ready"),
    "accounts.apps": (
        {"accounts.allauth_log", "accounts.signals", "accounts.user_log"},
        "Django's way to connect signal receivers when ready",
    ),
    "trust.apps": ({"trust.webhooks"}, "Django's way to connect signal receivers when ready"),
}


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(node: ast.AST, module: str, sources: dict) -> list[str]:
    """The modules ``node`` imports: ``from a import b`` is ``a.b`` when b is a module."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:  # relative: resolve against the importing package
            package = module.split(".")[: -node.level]
            base = ".".join([*package, base] if base else package)
        names = [f"{base}.{alias.name}" for alias in node.names]
        return [name if name in sources else base for name in names]
    return []


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(module-level imports, deferred imports) of every module of the apps, by module."""
    sources = {
        _module(path): path
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    }
    top: dict[str, set[str]] = defaultdict(set)
    deferred: dict[str, set[str]] = defaultdict(set)

    def walk(nodes, module: str, *, in_function: bool) -> None:
        for node in nodes:
            if isinstance(node, ast.If) and _type_checking(node):
                continue
            names = [name for name in _imported(node, module, sources) if name in sources]
            (deferred if in_function else top)[module].update(names)
            inner = in_function or isinstance(
                node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
            )
            walk(ast.iter_child_nodes(node), module, in_function=inner)

    for module, path in sources.items():
        walk(ast.parse(path.read_text()).body, module, in_function=False)
    return top, deferred


def test_each_app_imports_only_the_apps_below_it():
    top, deferred = imports()
    wrong = [
        f"{module} imports {name}"
        for graph in (top, deferred)
        for module, names in graph.items()
        for name in names
        if (app := module.split(".")[0]) != (other := name.split(".")[0])
        and other not in MAY_IMPORT[app]
    ]
    assert wrong == []


def test_no_module_imports_one_that_imports_it_back():
    top, _ = imports()
    cycles = []
    state: dict[str, str] = {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for name in sorted(top.get(module, ())):
            if state.get(name) == "open":
                cycles.append(" -> ".join([*path[path.index(name) :], name]))
            elif name not in state:
                visit(name, [*path, name])
        state[module] = "done"

    for module in sorted(top):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_deferred_imports_are_the_listed_ones():
    _, deferred = imports()
    found = {module: names for module, names in deferred.items() if names}
    assert found == {module: names for module, (names, _why) in DEFERRED.items()}


WRITES = {
    "save",
    "delete",
    "update",
    "create",
    "get_or_create",
    "bulk_create",
    "bulk_update",
    "select_for_update",
    "audit_append",
    "audit_change",
    "on_commit",
}


READS = {
    "filter",
    "exclude",
    "get",
    "all",
    "first",
    "last",
    "values",
    "values_list",
    "exists",
    "count",
    "aggregate",
    "snapshot_build",
}


def test_no_public_function_of_the_services_only_reads():
    """services/ writes, selectors read: a function there that reads and never writes
    belongs in selectors (one that neither reads nor writes, a validation, may stay).

    "Writes" here: it runs in a transaction (``@transaction.atomic``) or calls a writing
    ORM method, the audit log, or schedules work after the commit.
    """
    readers = []
    # errors.py declares what the services raise and how a refusal reads, no service.
    for path in sorted((ROOT / "matrices" / "services").glob("*.py")):
        if path.name == "errors.py":
            continue
        for node in ast.parse(path.read_text()).body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            decorators = {ast.unparse(d) for d in node.decorator_list}
            calls = {
                call.func.attr
                if isinstance(call.func, ast.Attribute)
                else getattr(call.func, "id", "")
                for call in ast.walk(node)
                if isinstance(call, ast.Call)
            }
            writes = "transaction.atomic" in decorators or calls & WRITES
            if calls & READS and not writes:
                readers.append(f"{path.name}:{node.name}")
    assert readers == []
