"""One-way layering, no import cycles, no region names in code: read from the sources' AST."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "reportgen"

# Lower layers first; a module may import only from its own layer or a lower one.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "limits", "money", "grid", "readers", "ods_reader", "workbook_files", "placeholder", "paths",
     "progress", "numbering", "archive_dir"),                                                    # core
    # model; the tree's node types and their measures too: a kind builds its own table nodes
    ("model", "tree", "widths", "render.style"),
    ("settings", "profile"),                                                      # config
    ("sources", "shapes", "supplement", "workbook", "catalog", "analysis", "rules", "kinds",
     "performance", "unit_sheets", "narrative_inputs"),  # sources/checks/kinds
    ("markup", "sections", "template_errors", "attachments", "document", "needs", "profile_check"),  # tree
    ("render",),                                                                  # writers
    ("build", "archive", "archive_profiles", "report", "refusals", "executors", "batch", "batch_inputs",
     "batch_command", "summary"),                                                                  # pipeline
    ("cli", "__main__", "__init__", "web"),                                       # cli and the web page
)
# Core: knows no document kind (no kind import, no 公开 table, no 决算 word).
CORE = (*LAYERS[0], "model", "rules", "tree", "render", "archive", "build")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PKG).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def layer(name: str) -> int:
    best = (-1, -1)
    for i, names in enumerate(LAYERS):
        for n in names:
            if name == n or name.startswith(n + "."):
                best = max(best, (len(n), i))
    assert best[1] >= 0, f"{name} is in no layer: add it to LAYERS"
    return best[1]


def imports(path: Path) -> set[str]:
    """reportgen modules this file imports, anywhere in it (function-level imports too)."""
    name = module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join([*base, *(node.module.split(".") if node.module else [])])
            elif node.module and node.module.startswith("reportgen"):
                target = node.module.removeprefix("reportgen").lstrip(".")
            else:
                continue
            for alias in node.names:  # `from . import profile` imports a module
                sub = f"{target}.{alias.name}" if target else alias.name
                out.add(sub if (PKG / sub.replace(".", "/")).with_suffix(".py").exists()
                        or (PKG / sub.replace(".", "/")).is_dir() else target)
        elif isinstance(node, ast.Import):
            out |= {a.name.removeprefix("reportgen.") for a in node.names if a.name.startswith("reportgen.")}
    out.discard("")
    return out


GRAPH = {module_name(p): imports(p) for p in PKG.rglob("*.py")}


def test_imports_point_down():
    wrong = [f"{m} → {t}" for m, targets in GRAPH.items() for t in targets if layer(t) > layer(m)]
    assert not wrong, wrong


def test_no_core_module_imports_a_kind():
    core = [m for m in GRAPH if any(m == c or m.startswith(c + ".") for c in CORE)]
    assert "build" in core and "rules" in core and "render.html" in core
    wrong = [f"{m} → {t}" for m in core for t in GRAPH[m] if t.startswith("kinds.")]
    assert not wrong, wrong
    words = re.compile(r"决算|公开\d\d|公开0")
    said = [f"{m}: {s}" for m in core if m != "model" for s in strings(m) if words.search(s)]
    assert not said, said


def strings(module: str) -> list[str]:
    """The string literals of a module's code (not its docstrings or comments)."""
    path = PKG / (module.replace(".", "/") + ".py")
    if not path.exists():
        path = PKG / module.replace(".", "/") / "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef) and n.body
            and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    return [n.value for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs]


def test_no_import_cycles():
    seen: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(m: str, path: list[str]) -> None:
        seen[m] = 1
        for t in sorted(GRAPH.get(m, ())):
            if seen.get(t) == 1:
                raise AssertionError("cycle: " + " → ".join([*path[path.index(t):], t]))
            if t not in seen:
                visit(t, [*path, t])
        seen[m] = 2

    for m in sorted(GRAPH):
        if m not in seen:
            visit(m, [m])


def test_no_module_over_400_lines():
    long = {module_name(p): n for p in PKG.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert not long, long


def test_no_code_names_a_profile_or_region():
    """Differences are data: Python never branches on a profile's or a region's name."""
    names = re.compile(r"深圳|峄城|四川|广州|shenzhen|yicheng|sichuan|style\s*==")
    found = [f"{p.relative_to(PKG)}:{i}: {line.strip()}" for p in PKG.rglob("*.py")
             for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if names.search(line)]
    assert not found, found


def test_the_layer_test_sees_a_wrong_import():
    """The checks above can fail: a core module importing a kind is caught."""
    fake = dict(GRAPH)
    fake["money"] = {"kinds.juesuan.layouts"}
    assert any(layer(t) > layer(m) for m, ts in fake.items() for t in ts)
