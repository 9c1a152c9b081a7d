"""What the benchmark scripts share: the benchmark databases (psql, ``manage.py``, restoring a dump), the
environment and the launch of the child process a measurement runs in, the machine line, and the
measuring helpers (nearest-rank percentile, query counter, timed runs, WeasyPrint alone, PDF facts).

A script imports it after putting ``bench/`` on ``sys.path`` (``bench/lists.py`` imports its names again,
so ``from lists import prepare`` keeps working for ``bench/load_test.py`` and ``bench/pages.py``).

The databases are on PostgreSQL at 127.0.0.1 as user postgres. By default a size's database is
``songjiang_h8_bench_<N>`` (``bench/lists.py``, ``documents.py``, ``load_test.py``, ``pages.py``);
``BENCH_DB_PREFIX`` gives a copy of one's own for parallel work. A script with a database of its own
(``indicators.py``, ``roster_import.py``) passes ``database_name``.
"""

import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DUMPS = ROOT / "var" / "bench"
PG = {"host": "127.0.0.1", "port": "5432", "user": "postgres", "password": "postgres"}
BASE_SETTINGS = "songjiang_pilot.settings.base"


# --- the databases and the child processes ----------------------------------------------------------


def database(size):
    """The size's benchmark database; ``BENCH_DB_PREFIX`` gives a copy of one's own (parallel work)."""
    return f"{os.environ.get('BENCH_DB_PREFIX', 'songjiang_h8_bench')}_{size}"


def database_url(size, *, database_name=None):
    """The URL of ``database_name``, by default of the size's :func:`database`."""
    return f"postgres://{PG['user']}:{PG['password']}@{PG['host']}:{PG['port']}/{database_name or database(size)}"


def child_env(size, media, settings=BASE_SETTINGS, *, database_name=None):
    """The environment of a child process (``manage.py``, a measurement) on the benchmark database:
    no Celery or Redis settings, media under ``media``, ``DEBUG`` off."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "REDIS_"))}
    env.update(
        DATABASE_URL=database_url(size, database_name=database_name),
        DJANGO_SETTINGS_MODULE=settings,
        PORTAL_VAR_DIR=str(media),
        DJANGO_LOG_LEVEL="WARNING",
        # As in production: with DEBUG on, Django keeps every query's SQL and serves static files itself.
        DJANGO_DEBUG="false",
        PGPASSWORD=PG["password"],
    )
    env.pop("REDIS_URL", None)
    return env


def psql(sql, database_name="postgres"):
    binary = shutil.which("psql")
    if binary is None:
        raise SystemExit("psql is needed to create the benchmark databases")
    command = [binary, "-h", PG["host"], "-p", PG["port"], "-U", PG["user"], "-d", database_name, "-qtAc", sql]
    result = subprocess.run(  # noqa: S603 - fixed arguments, no user input
        command, env={**os.environ, "PGPASSWORD": PG["password"]}, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def manage(size, media, *args, database_name=None):
    command = [sys.executable, "manage.py", *args]
    result = subprocess.run(  # noqa: S603 - this project's manage.py, fixed arguments
        command, cwd=ROOT, env=child_env(size, media, database_name=database_name), capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}")
    return result.stdout


def prepare(size, media, fresh=False, *, database_name=None):
    """The size's database: kept from an earlier run unless ``fresh``, else restored from its dump
    ``var/bench/scale-<N>.dump``. Migrated either way (the schema may have moved on since the dump).
    Returns what was done."""
    name = database_name or database(size)
    dump = DUMPS / f"scale-{size}.dump"
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"  # noqa: S608 - our own name
    started = time.perf_counter()
    if exists and not fresh:
        manage(size, media, "migrate", "--noinput", "-v", "0", database_name=name)
        return f"kept {name} (migrated in {time.perf_counter() - started:.1f} s)"
    if not dump.is_file():
        raise SystemExit(
            f"No dump at {dump}: make it with `.venv/bin/python bench/indicators.py --sizes {size} --prepare-only`."
        )
    psql(f"DROP DATABASE IF EXISTS {name}")
    psql(f"CREATE DATABASE {name}")
    manage(size, media, "generate_scale", "--restore", str(dump), database_name=name)
    manage(size, media, "migrate", "--noinput", "-v", "0", database_name=name)
    psql("VACUUM (ANALYZE)", name)  # as autovacuum would: index-only scans need the visibility map
    return f"restored {dump.relative_to(ROOT)} into {name} in {time.perf_counter() - started:.1f} s"


def run_child(script, size, media, spec, timeout=7200, *, database_name=None):
    """Run ``script --child '<spec with the size>'`` on the benchmark database; its last line of output
    is the JSON it reports, returned."""
    command = [sys.executable, str(script), "--child", json.dumps({"size": size, **spec})]
    result = subprocess.run(  # noqa: S603 - this project's script, fixed arguments
        command,
        cwd=ROOT,
        env=child_env(size, media, database_name=database_name),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise SystemExit(f"measurement at {size} {spec} failed:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def machine():
    cpu, memory_gb = "unknown CPU", 0
    try:
        for text in Path("/proc/cpuinfo").read_text().splitlines():
            if text.startswith("model name"):
                cpu = text.split(":", 1)[1].strip()
                break
        memory = next(t for t in Path("/proc/meminfo").read_text().splitlines() if t.startswith("MemTotal"))
        memory_gb = int(memory.split()[1]) / 1024 / 1024
    except (OSError, StopIteration):
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory_gb:.0f} GB RAM, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, PostgreSQL {psql('SHOW server_version')} (local TCP), "
        f"load average {load:.1f} at start"
    )


# --- measuring (in the child) -----------------------------------------------------------------------


def percentile(values, share):
    """Nearest-rank percentile (``share`` in 0..1) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


class QueryCounter:
    """Counts the queries run on the connection, as ``connection.execute_wrapper(counter)``
    (``CaptureQueriesContext`` reads ``connection.queries``, which Django empties when a request starts,
    so it sees none of a test client's request)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def timed(function, repeat, slow=None):
    """(median seconds, queries of one run, last result, runs): one warm-up run (its queries counted),
    then ``repeat`` timed runs; with ``slow``, a warm-up slower than that many seconds is the only run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        started = time.perf_counter()
        result = function()
        warm = time.perf_counter() - started
    if slow is not None and warm > slow:
        return warm, len(context.captured_queries), result, 1
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), len(context.captured_queries), result, repeat


@contextmanager
def weasyprint_recorded():
    """Within the block, WeasyPrint's ``HTML`` records how the portal calls it; yields a function that
    renders that very HTML again with WeasyPrint alone (the floor of the portal's PDF time). The
    function is called after the block, once the portal has rendered at least once."""
    import weasyprint

    captured = {}
    real = weasyprint.HTML

    class Spy(real):
        def __init__(self, *args, **kwargs):
            captured["init"] = (args, kwargs)
            super().__init__(*args, **kwargs)

        def write_pdf(self, *args, **kwargs):
            captured["write"] = (args, kwargs)
            return super().write_pdf(*args, **kwargs)

    def alone():
        (init_args, init_kwargs), (write_args, write_kwargs) = captured["init"], captured["write"]
        return real(*init_args, **init_kwargs).write_pdf(*write_args, **write_kwargs)

    weasyprint.HTML = Spy
    try:
        yield alone
    finally:
        weasyprint.HTML = real


def pdf_facts(pdf, expected=()):
    """Pages, whether a CJK font is embedded, whether every ``expected`` text is in the PDF (poppler's
    ``pdfinfo``, ``pdffonts``, ``pdftotext``; ``?`` / ``None`` where one is missing)."""
    facts = {"bytes": len(pdf), "pages": "?", "cjk_font": None, "text_found": None}
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        tools = {name: shutil.which(name) for name in ("pdfinfo", "pdffonts", "pdftotext")}
        if tools["pdfinfo"]:
            info = subprocess.run([tools["pdfinfo"], handle.name], capture_output=True, text=True).stdout  # noqa: S603
            facts["pages"] = next((ln.split()[-1] for ln in info.splitlines() if ln.startswith("Pages:")), "?")
        if tools["pdffonts"]:
            fonts = subprocess.run([tools["pdffonts"], handle.name], capture_output=True, text=True).stdout  # noqa: S603
            facts["cjk_font"] = "CJK" in fonts
        if tools["pdftotext"]:
            text = subprocess.run(  # noqa: S603
                [tools["pdftotext"], handle.name, "-"], capture_output=True, text=True
            ).stdout.replace(" ", "")
            facts["text_found"] = all(e.replace(" ", "") in text for e in expected)
    return facts
