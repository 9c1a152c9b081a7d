"""The serving process's peak memory per hostile upload stays bounded (embedded profile, in-process).

``bench/upload_memory.py --hostile-only --json`` posts every file of the hostile corpus
(tests/security/test_hostile_uploads.py) to the import endpoints in a child process on the embedded profile
(SQLite, tasks in-process) and reads Linux's high-water mark of its resident memory (VmHWM in /proc/self/status,
reset before each file by writing 5 to /proc/self/clear_refs). Each file must cost the process less than 300 MB
above its size just before, and the sheet claiming a million empty rows must be refused (400 ``too_many_rows``)
before it is parsed. The 100,000-row files are measured by the bench itself (bench/README.md)."""

import json
import subprocess
import sys
from pathlib import Path

from .test_hostile_uploads import CASES

ROOT = Path(__file__).resolve().parent.parent.parent
LIMIT_MB = 300


def test_every_hostile_upload_costs_the_serving_process_less_than_300_mb():
    result = subprocess.run(
        [sys.executable, "bench/upload_memory.py", "--hostile-only", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert {line["file"] for line in lines} == {case.name for case in CASES}
    assert all(line["status"] < 500 for line in lines), [line for line in lines if line["status"] >= 500]
    heavy = [line for line in lines if line["peak_delta_mb"] >= LIMIT_MB]
    assert not heavy, heavy
    million = next(line for line in lines if line["file"] == "a sheet claiming a million rows")
    assert million["status"] == 400 and million["answer"] == "too_many_rows", million
