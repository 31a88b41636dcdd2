"""Any module imports cleanly on its own: no import cycle hides behind an import order."""

from __future__ import annotations

import ast
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("schema", "resolvers", "graph", "tracegraph", "loaders")


def _modules() -> list[str]:
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            if parts[-1] != "__main__":  # runs the CLI when imported
                found.append(".".join(parts))
    return found


def _import_alone(module: str) -> tuple[str, int, str]:
    done = subprocess.run(
        [sys.executable, "-c", f"import {module}"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=60,
    )
    return module, done.returncode, done.stderr[-2000:]


def test_each_module_imports_in_a_fresh_interpreter() -> None:
    modules = _modules()
    assert "schema.orders" in modules
    assert "schema.derive" in modules
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(_import_alone, modules))
    failures = [f"{module}:\n{err}" for module, code, err in results if code != 0]
    assert not failures, "\n".join(failures)
    print(f"{len(modules)} modules imported alone")


def _runtime_imports(path: Path) -> set[str]:
    """Modules of ours that ``path`` imports when it runs (``TYPE_CHECKING`` blocks excluded)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in tree.body:  # module level only: imports inside functions run late, on purpose
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        for sub in ast.walk(node):
            if isinstance(sub, ast.Import):
                found.update(alias.name for alias in sub.names)
            elif isinstance(sub, ast.ImportFrom) and sub.module and sub.level == 0:
                found.add(sub.module)
                found.update(f"{sub.module}.{alias.name}" for alias in sub.names)
    return {name for name in found if name.split(".")[0] in PACKAGES}


def test_the_import_graph_has_no_cycle() -> None:
    modules = set(_modules())
    graph = {
        module: _runtime_imports(ROOT / (module.replace(".", "/") + ".py")) & modules
        for module in modules
        if (ROOT / (module.replace(".", "/") + ".py")).exists()
    }
    visiting: list[str] = []
    done: set[str] = set()

    def visit(module: str) -> None:
        if module in done:
            return
        if module in visiting:
            cycle = [*visiting[visiting.index(module) :], module]
            raise AssertionError("import cycle: " + " -> ".join(cycle))
        visiting.append(module)
        for imported in sorted(graph.get(module, ())):
            visit(imported)
        visiting.pop()
        done.add(module)

    for module in sorted(graph):
        visit(module)
