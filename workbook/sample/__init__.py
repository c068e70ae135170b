"""Sample data: a synthetic kabupaten for demos, tests and benchmarks, and a messy copy of it.

:func:`generate_agency` and :func:`write_agency` build and write *Pemerintah Kabupaten Contoh*
(what is planted in it: :mod:`workbook.sample.generator`); :mod:`workbook.sample.messy` turns a
clean folder into the kind of files agencies really send.
"""

from workbook.sample.evaluation import FAKE_IDENTIFIERS, L4_EFFECT, L4_NOISE_SD, L4_TREND
from workbook.sample.generator import SAMPLE_PARAMETERS, generate_agency, planted_profiles
from workbook.sample.roi import ROI_CONVERSIONS, ROI_HOUR_VALUE, ROI_PROGRAMMES
from workbook.sample.structure import COMPETENCIES, PROFILES, STANDARD_LADDER, UNITS
from workbook.sample.write import write_agency

__all__ = [
    "generate_agency",
    "planted_profiles",
    "write_agency",
    "COMPETENCIES",
    "UNITS",
    "PROFILES",
    "STANDARD_LADDER",
    "SAMPLE_PARAMETERS",
    "FAKE_IDENTIFIERS",
    "L4_TREND",
    "L4_EFFECT",
    "L4_NOISE_SD",
    "ROI_PROGRAMMES",
    "ROI_CONVERSIONS",
    "ROI_HOUR_VALUE",
]
