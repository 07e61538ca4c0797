"""The project's imports run one way (CONVENTIONS.md): no module imports another that imports it back,
the competency core (profiles) imports neither app that feeds it, and imports sit at the top of
modules except in ``AppConfig.ready``, where Django needs them."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("profiles", "courses", "assessments", "skills_site", "api")


def project_modules(root: Path = ROOT, apps: tuple[str, ...] = APPS) -> dict[str, Path]:
    modules = {}
    for app in apps:
        for path in (root / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(root).with_suffix("").parts)
            modules[name.removesuffix(".__init__")] = path
    return modules


def imported(module: str, path: Path, node: ast.Import | ast.ImportFrom, modules: dict) -> set[str]:
    """The project modules an import statement loads (a package's __init__ counts as the package)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
            package = package[: len(package) - node.level + 1]
            base = ".".join(package + ([node.module] if node.module else []))
        names = [
            f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names
        ]
    found = set()
    for name in names:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        if name and name != module:
            found.add(name)
    return found


def import_graph(
    root: Path = ROOT, apps: tuple[str, ...] = APPS
) -> tuple[dict[str, set[str]], list[tuple[str, int]]]:
    """Every import edge between project modules, and the function-local ones outside ``ready``."""
    modules = project_modules(root, apps)
    edges: dict[str, set[str]] = {name: set() for name in modules}
    local: list[tuple[str, int]] = []
    for module, path in modules.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                edges[module] |= imported(module, path, node, modules)
        for function in ast.walk(tree):
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef) and function.name != "ready":
                for node in ast.walk(function):
                    if not isinstance(node, ast.Import | ast.ImportFrom):
                        continue
                    if imported(module, path, node, modules):
                        local.append((module, node.lineno))
    return edges, local


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each a cycle of imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_two_project_modules_import_each_other():
    edges, _local = import_graph()
    assert cycles(edges) == []


def test_the_core_does_not_import_the_apps_that_feed_it():
    edges, _local = import_graph()
    wrong = sorted(
        (module, target)
        for module, targets in edges.items()
        if module.startswith("profiles")
        for target in targets
        if target.split(".")[0] in ("courses", "assessments")
    )
    assert wrong == []


def test_imports_sit_at_the_top_except_in_app_ready():
    _edges, local = import_graph()
    assert local == []


def test_the_graph_sees_a_cycle_and_a_local_import(tmp_path):
    """The checks above can fail: a loop through a local import is a cycle; ``ready`` alone is exempt."""
    app = tmp_path / "shop"
    app.mkdir()
    (app / "__init__.py").write_text("")
    (app / "models.py").write_text("def get_context():\n    from .selectors import rows\n    return rows\n")
    (app / "selectors.py").write_text("from .models import get_context\n\nrows = []\n")
    (app / "apps.py").write_text("class ShopConfig:\n    def ready(self):\n        from . import selectors\n")
    edges, local = import_graph(tmp_path, ("shop",))
    assert cycles(edges) == [["shop.models", "shop.selectors"]]
    assert local == [("shop.models", 2)]
