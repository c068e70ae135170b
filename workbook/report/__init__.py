"""Report assembly and the batch runner (``workbook report``).

- :mod:`~workbook.report.batch` — the CLI: stage notebooks once for the agency, then the report
  notebook for the agency and every unit (worker processes or Dask), manifests, status table.
- :mod:`~workbook.report.bundle` — the agency's stage results, loaded from the stage artefacts
  (the stages' ``load_result``); the pipeline runs a missing stage first.
- :mod:`~workbook.report.render` — one report document (a loop over the stages' ``report.chapter``)
  → HTML (self-contained) and PDF (WeasyPrint).
- :mod:`~workbook.report.narrative` — the cross-stage words: cover, chapter titles, chapter I,
  approval, appendices.
- :mod:`~workbook.report.laporan` — what ``notebooks/04_laporan.ipynb`` calls.
- :mod:`~workbook.report.engine` — papermill engine executing notebooks in a warm worker process.
- :mod:`~workbook.report.monitor` — the monthly monitoring report (``--monitor``).
"""
