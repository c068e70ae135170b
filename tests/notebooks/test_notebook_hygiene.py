"""The notebooks stay thin: every code cell is read with ``ast`` (nothing is run).

Cell rules, for ``notebooks/*.ipynb`` (stage notebooks) and ``notebooks/dashboards/*.ipynb``:

- no ``def``, ``class`` or ``lambda``: logic lives in the package, where it is tested;
- at most :data:`MAX_CELL_LINES` lines;
- no committed outputs or execution counts;
- imports in one cell only (the first code cell that imports);
- no calls in a condition (``if ctx.interactive:`` is fine; ``if view(res) is not None and …``
  is logic that belongs in the package).

Stage notebooks open with a parameters cell tagged ``parameters``: typed assignments only, the
shared parameters of :data:`workbook.core.context.PARAMETERS` first (same order, types, defaults
and text in every notebook), then the notebook's own (``04_laporan``: ``formats``); papermill
sees every one of them with its type and help text.

A known violation is listed in :data:`KNOWN` and marked ``xfail(strict=True)``: once the cell is
fixed the test fails until the entry is removed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest
from _paths import ROOT

from workbook.core.context import PARAMETERS

MAX_CELL_LINES = 15
NOTEBOOKS = ROOT / "notebooks"
STAGE_NOTEBOOKS = sorted(NOTEBOOKS.glob("*.ipynb"))
ALL_NOTEBOOKS = STAGE_NOTEBOOKS + sorted((NOTEBOOKS / "dashboards").glob("*.ipynb"))

#: (notebook relative to notebooks/, cell index in nb.cells, test) → reason; strict xfail
KNOWN: dict[tuple[str, int, str], str] = {}


def _rel(path: Path) -> str:
    return path.relative_to(NOTEBOOKS).as_posix()


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _code_cells() -> list[tuple[str, int, nbformat.NotebookNode, nbformat.NotebookNode]]:
    out = []
    for path in ALL_NOTEBOOKS:
        nb = _read(path)
        out += [(_rel(path), i, cell, nb) for i, cell in enumerate(nb.cells) if cell.cell_type == "code"]
    return out


CELLS = _code_cells()


def _cells_for(test: str) -> list:
    """Parameters for one cell test: (notebook, index, cell, notebook node), known ones xfail."""
    params = []
    for name, i, cell, nb in CELLS:
        reason = KNOWN.get((name, i, test))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(name, i, cell, nb, id=f"{name.removesuffix('.ipynb')}[{i}]", marks=marks))
    return params


def _tree(cell: nbformat.NotebookNode) -> ast.Module:
    return ast.parse(cell.source)


def _has_import(cell: nbformat.NotebookNode) -> bool:
    return any(isinstance(n, (ast.Import, ast.ImportFrom)) for n in ast.walk(_tree(cell)))


def test_known_violations_name_existing_cells():
    cells = {(name, i) for name, i, _, _ in CELLS}
    tests = {name for name in globals() if name.startswith("test_")}
    for name, i, test in KNOWN:
        assert (name, i) in cells and test in tests, (name, i, test)


# --- every code cell ---------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "i", "cell", "nb"), _cells_for("test_no_definitions"))
def test_no_definitions(name, i, cell, nb):
    found = [type(n).__name__ for n in ast.walk(_tree(cell))
             if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda))]
    assert not found, f"{name} cell {i}: {found} — put the logic in the package"


@pytest.mark.parametrize(("name", "i", "cell", "nb"), _cells_for("test_cell_is_short"))
def test_cell_is_short(name, i, cell, nb):
    n = len(cell.source.strip().splitlines())
    assert n <= MAX_CELL_LINES, f"{name} cell {i}: {n} lines (at most {MAX_CELL_LINES})"


@pytest.mark.parametrize(("name", "i", "cell", "nb"), _cells_for("test_no_committed_output"))
def test_no_committed_output(name, i, cell, nb):
    assert not cell.get("outputs"), f"{name} cell {i} committed with outputs"
    assert cell.get("execution_count") is None, f"{name} cell {i} committed with an execution count"


@pytest.mark.parametrize(("name", "i", "cell", "nb"), _cells_for("test_imports_in_one_cell_only"))
def test_imports_in_one_cell_only(name, i, cell, nb):
    if not _has_import(cell):
        return
    first = next(j for j, c in enumerate(nb.cells) if c.cell_type == "code" and _has_import(c))
    assert i == first, f"{name} cell {i} imports; the imports belong in cell {first}"


@pytest.mark.parametrize(("name", "i", "cell", "nb"), _cells_for("test_no_logic_in_conditions"))
def test_no_logic_in_conditions(name, i, cell, nb):
    tests = [n.test for n in ast.walk(_tree(cell)) if isinstance(n, (ast.If, ast.IfExp, ast.While))]
    tests += [t for n in ast.walk(_tree(cell)) if isinstance(n, ast.comprehension) for t in n.ifs]
    calls = [ast.unparse(t) for t in tests if any(isinstance(n, ast.Call) for n in ast.walk(t))]
    assert not calls, f"{name} cell {i} computes in a condition: {calls}"


# --- the parameters cell of the stage notebooks ------------------------------------------------

def _parameters_cell(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    return next(c for c in nb.cells if c.cell_type == "code")


def _type_names(types: tuple[type, ...]) -> set[str]:
    return {"None" if t is type(None) else t.__name__ for t in types}


def _annotated_names(annotation: str) -> set[str]:
    """``Optional[str]`` → {str, None}; ``str`` → {str}."""
    if annotation.startswith("Optional[") and annotation.endswith("]"):
        return {annotation[len("Optional["):-1], "None"}
    return {part.strip() for part in annotation.split("|")}


@pytest.mark.parametrize("path", STAGE_NOTEBOOKS, ids=_rel)
def test_parameters_cell_is_tagged_and_typed(path):
    nb = _read(path)
    first = _parameters_cell(nb)
    assert "parameters" in first.metadata.get("tags", []), f"{path.name}: first code cell not tagged"
    tagged = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: {len(tagged)} cells tagged parameters"
    body = _tree(first).body
    untyped = [ast.unparse(s) for s in body if not (isinstance(s, ast.AnnAssign) and s.value is not None)]
    assert not untyped, f"{path.name}: parameters cell holds more than typed assignments: {untyped}"
    names = [s.target.id for s in body]
    assert names[: len(PARAMETERS)] == list(PARAMETERS), path.name
    for stmt in body:
        default = ast.literal_eval(stmt.value)  # a literal, so papermill can show and replace it
        if stmt.target.id in PARAMETERS:
            types, shared_default = PARAMETERS[stmt.target.id][:2]
            annotation = ast.literal_eval(stmt.annotation) if isinstance(stmt.annotation, ast.Constant) \
                else ast.unparse(stmt.annotation)
            assert _annotated_names(annotation) == _type_names(types), (path.name, stmt.target.id)
            assert default == shared_default, (path.name, stmt.target.id)


def test_shared_parameters_read_the_same_in_every_notebook():
    """The shared block (comments included) is the same text everywhere; own parameters follow."""
    blocks = {}
    for path in STAGE_NOTEBOOKS:
        cell = _parameters_cell(_read(path))
        last = next(s for s in _tree(cell).body if s.target.id == list(PARAMETERS)[-1])
        blocks[path.name] = "\n".join(cell.source.splitlines()[: last.end_lineno])
    assert len(set(blocks.values())) == 1, blocks


@pytest.mark.parametrize("path", STAGE_NOTEBOOKS, ids=_rel)
def test_papermill_sees_every_parameter_with_type_and_help(path):
    # papermill parses the parameters cell to validate and document parameters (--help-notebook);
    # an annotation it cannot parse (e.g. `str | None`) silently hides a parameter.
    import papermill as pm

    seen = pm.inspect_notebook(str(path))
    names = [s.target.id for s in _tree(_parameters_cell(_read(path))).body]
    assert list(seen) == names, path.name
    for name, p in seen.items():
        assert p["inferred_type_name"] != "None" and p["help"].strip(), (path.name, name)
