"""An agency's own theme dictionary, read from its CSV file (``themes.dictionary_file``).

The one input the evaluation stage reads from a file named in the settings rather than from the
clean tables: :mod:`workbook.evaluation.stage` calls :func:`load_theme_dictionary` and hands the
themes to :func:`workbook.evaluation.themes.assign_themes`, so the kernels never read files.
"""

from __future__ import annotations

import pandas as pd

from workbook.core.exceptions import DataError
from workbook.evaluation.lexicon import Theme, theme_dictionary

__all__ = ["load_theme_dictionary"]


def load_theme_dictionary(path: str) -> tuple[Theme, ...]:
    """An agency's own theme dictionary from a CSV file (UTF-8).

    Columns ``tema`` (code), ``label_id``, ``label_en`` and ``kata_kunci`` (keywords separated by
    spaces, commas or semicolons); one row per theme, in tie-breaking order
    (:func:`workbook.evaluation.lexicon.theme_dictionary`).
    """
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError) as err:
        raise DataError(
            f"Kamus tema tidak dapat dibaca: {path}",
            f"Theme dictionary cannot be read: {path}",
            file=str(path),
        ) from err
    return theme_dictionary(df, str(path))
