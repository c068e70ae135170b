"""The shape of the package (docs/architecture.md): modules and functions a reader can hold in mind.

- no module over :data:`MAX_MODULE_LINES` lines;
- no function over :data:`MAX_FUNCTION_CODE_LINES` lines of code (docstrings, blank lines and
  comment-only lines not counted), except the declarative tables in :data:`ALLOWED`;
- no import circle between modules of ``workbook``, imports inside functions counted;
- the import-linter contracts of ``pyproject.toml`` hold (layers, stage independence).
"""

from __future__ import annotations

import ast
import io
import subprocess
import sys
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "workbook"
MAX_MODULE_LINES = 800
MAX_FUNCTION_CODE_LINES = 120
#: at most two declarative tables may be longer (module path, function or "*" for the module)
ALLOWED: set[tuple[str, str]] = {
    ("workbook/core/schema.py", "*"),  # the input contracts: one table definition per input file
}


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _docstring_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = getattr(node, "body", [])
            if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
                    and isinstance(body[0].value.value, str):
                lines.update(range(body[0].lineno, body[0].end_lineno + 1))
    return lines


def _code_lines(source: str) -> set[int]:
    """Line numbers holding a token other than a comment, newline or indentation."""
    out: set[int] = set()
    skip = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
            tokenize.ENDMARKER, tokenize.ENCODING}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type not in skip:
            out.update(range(tok.start[0], tok.end[0] + 1))
    return out


def function_sizes(path: Path) -> list[tuple[str, int, int]]:
    """(qualified name, first line, lines of code) of every function in ``path``."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    code = _code_lines(source) - _docstring_lines(tree)
    out = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = f"{prefix}{child.name}"
                n = len([i for i in range(child.lineno, child.end_lineno + 1) if i in code])
                out.append((name, child.lineno, n))
                visit(child, f"{name}.")
            elif isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")

    visit(tree, "")
    return out


def test_allow_list_is_short():
    assert len(ALLOWED) <= 2


def test_no_module_over_the_limit():
    too_long = []
    for p in _modules():
        rel = p.relative_to(ROOT).as_posix()
        n = len(p.read_text(encoding="utf-8").splitlines())
        if n > MAX_MODULE_LINES and (rel, "*") not in ALLOWED:
            too_long.append(f"{rel}: {n} lines")
    assert not too_long, f"modules over {MAX_MODULE_LINES} lines:\n" + "\n".join(too_long)


def test_no_function_over_the_limit():
    too_long = []
    for p in _modules():
        rel = p.relative_to(ROOT).as_posix()
        for name, line, n in function_sizes(p):
            if n > MAX_FUNCTION_CODE_LINES and (rel, name) not in ALLOWED and (rel, "*") not in ALLOWED:
                too_long.append(f"{rel}:{line} {name}: {n} lines of code")
    assert not too_long, f"functions over {MAX_FUNCTION_CODE_LINES} lines of code:\n" + "\n".join(too_long)


def test_the_size_rule_counts_code_not_docstrings(tmp_path):
    body = "\n".join(f"    x{i} = {i}" for i in range(5))
    p = tmp_path / "m.py"
    p.write_text(f'def f():\n    """Doc\n\n    more doc\n    """\n    # a comment\n\n{body}\n    return x0\n')
    assert function_sizes(p) == [("f", 1, 7)]


def _graph() -> dict[str, set[str]]:
    grimp = pytest.importorskip("grimp")
    g = grimp.build_graph("workbook", cache_dir=None)
    return {m: {i for i in g.find_modules_directly_imported_by(m) if i.startswith("workbook")} for m in g.modules}


def strongly_connected(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components with more than one member (import circles)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]
    sys.setrecursionlimit(max(10_000, sys.getrecursionlimit()))

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def test_circle_finder_finds_a_circle():
    assert strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_circle():
    circles = strongly_connected(_graph())
    assert not circles, f"import circles (imports inside functions counted): {circles}"


def test_import_contracts_hold():
    """``lint-imports`` (import-linter) with the contracts of pyproject.toml."""
    exe = Path(sys.executable).with_name("lint-imports")
    if not exe.is_file():
        pytest.skip("import-linter is not installed")
    proc = subprocess.run([str(exe), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
