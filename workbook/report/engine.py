"""A papermill engine that executes a notebook's cells in the worker's own Python process.

papermill's default engine starts a Jupyter kernel per notebook (about 1.7 s before the first
cell, and every import again). For the batch of unit reports each worker process keeps one
IPython shell warm — ``pandas``, ``matplotlib``, WeasyPrint and ``workbook`` imported once — and
papermill runs every report notebook through it: same parameter injection, same executed
notebook with outputs, same :class:`papermill.PapermillExecutionError` (failing cell and message)
on an error. Register it with :func:`register` and call ``papermill.execute_notebook(...,
engine_name="workbook")``.
"""

from __future__ import annotations

import sys
import traceback

from papermill.engines import Engine, papermill_engines

__all__ = ["InProcessEngine", "register", "ENGINE_NAME"]

ENGINE_NAME = "workbook"
_SHELL = None


def _shell():
    """The process's IPython shell; ``sys.modules["__main__"]`` is left as it was (IPython swaps in
    its own module, which would break multiprocessing's spawn in the host process)."""
    global _SHELL
    if _SHELL is None:
        from IPython.core.interactiveshell import InteractiveShell

        main = sys.modules.get("__main__")
        _SHELL = InteractiveShell.instance()
        if main is not None:
            sys.modules["__main__"] = main
    return _SHELL


class InProcessEngine(Engine):
    """Execute code cells with an in-process IPython shell (a fresh namespace per notebook)."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
        shell = _shell()
        main = sys.modules.get("__main__")
        try:
            return cls._run(shell, nb_man)
        finally:
            if main is not None:
                sys.modules["__main__"] = main

    @classmethod
    def _run(cls, shell, nb_man):
        from IPython.utils.capture import capture_output
        from nbformat.v4 import new_output

        shell.reset(new_session=False)
        count = 0
        for index, cell in enumerate(nb_man.nb.cells):
            nb_man.cell_start(cell, index)
            if cell.cell_type != "code":
                nb_man.cell_complete(cell, index)
                continue
            count += 1
            cell.execution_count = count
            cell.outputs = []
            with capture_output(stdout=True, stderr=True, display=True) as cap:
                result = shell.run_cell(cell.source, store_history=False, silent=False)
            err = result.error_before_exec or result.error_in_exec
            if cap.stdout and not err:
                cell.outputs.append(new_output("stream", name="stdout", text=cap.stdout))
            if cap.stderr:
                cell.outputs.append(new_output("stream", name="stderr", text=cap.stderr))
            for out in cap.outputs:
                cell.outputs.append(new_output("display_data", data=out.data, metadata=out.metadata or {}))
            if err is not None:
                cell.outputs.append(new_output("error", ename=type(err).__name__, evalue=str(err),
                                               traceback=traceback.format_exception(err)))
                nb_man.cell_exception(cell, index, exception=err)
                nb_man.cell_complete(cell, index)
                break
            nb_man.cell_complete(cell, index)
        return nb_man.nb


def register() -> str:
    """Register the engine with papermill (idempotent); returns its name."""
    papermill_engines.register(ENGINE_NAME, InProcessEngine)
    return ENGINE_NAME
