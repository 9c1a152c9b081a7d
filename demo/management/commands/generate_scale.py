"""Generate a consistent programme of any size for benchmarks (``demo.scale``), or dump / restore one.

    manage.py generate_scale --enterprises 10000 [--seed S] [--as-of 2026-11-25] [--dump var/bench/scale-10000.dump]
    manage.py generate_scale --restore var/bench/scale-10000.dump

``--dump`` writes the database with ``pg_dump -Fc`` after generating; ``--restore`` loads such a dump
into the (empty, freshly created) database with ``pg_restore`` instead of generating, so a benchmark
generates each size once.
"""

import datetime
import os
import shutil
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core.errors import DomainError

from ... import scale


def _pg_arguments():
    """Connection arguments and environment for the PostgreSQL client tools, from the default database."""
    settings = connection.settings_dict
    if connection.vendor != "postgresql":
        raise CommandError(f"Dumps and restores need PostgreSQL (this database is {connection.vendor}).")
    args = ["-h", settings["HOST"] or "localhost", "-p", str(settings["PORT"] or 5432), "-U", settings["USER"]]
    env = {**os.environ, "PGPASSWORD": settings["PASSWORD"] or ""}
    return args, env, settings["NAME"]


def _tool(name):
    binary = shutil.which(name)
    if binary is None:
        raise CommandError(f"{name} is not installed (PostgreSQL client tools are needed for dumps).")
    return binary


def dump(path):
    args, env, name = _pg_arguments()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    connection.close()
    subprocess.run([_tool("pg_dump"), *args, "-Fc", "-Z", "1", "-f", str(path), name], env=env, check=True)  # noqa: S603


def restore(path):
    if not Path(path).is_file():
        raise CommandError(f"No dump at {path}.")
    args, env, name = _pg_arguments()
    connection.close()
    subprocess.run(  # noqa: S603 - fixed tool, arguments from settings and the command line
        [_tool("pg_restore"), *args, "--no-owner", "--clean", "--if-exists", "-j", "2", "-d", name, str(path)],
        env=env,
        check=True,
    )


class Command(BaseCommand):
    help = "Generate a consistent programme of N enterprises (bulk inserts), or restore a dump of one."
    # Data only, like migrate: the URL and template checks do not concern it (and cost a second).
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--enterprises", type=int, help="number of pilot enterprises to generate")
        parser.add_argument("--seed", default=scale.DEFAULT_SEED, help="the same seed and size give the same data")
        parser.add_argument("--as-of", help="YYYY-MM-DD: nothing is dated after this day (default today)")
        parser.add_argument("--dump", help="after generating, write a pg_dump -Fc of the database to this path")
        parser.add_argument("--restore", help="restore this pg_dump -Fc file instead of generating")

    def handle(self, *args, **options):
        if options["restore"]:
            restore(options["restore"])
            self.stdout.write(f"Restored {options['restore']}.")
            return
        if not options["enterprises"] or options["enterprises"] < 1:
            raise CommandError("Give the number of enterprises: --enterprises N (1 or more).")
        as_of = None
        if options["as_of"]:
            try:
                as_of = datetime.date.fromisoformat(options["as_of"])
            except ValueError as exc:
                raise CommandError("--as-of is a date written YYYY-MM-DD.") from exc
        try:
            counts = scale.generate(
                enterprises=options["enterprises"], seed=options["seed"], as_of=as_of, log=self.stdout.write
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        seconds = counts.pop("seconds")
        width = max(len(label) for label in counts)
        for label, rows in counts.items():
            self.stdout.write(f"  {label:<{width}} {rows:>10,}")
        self.stdout.write(f"Generated {options['enterprises']:,} enterprises in {seconds:.1f} s.")
        if options["dump"]:
            dump(options["dump"])
            self.stdout.write(f"Dumped to {options['dump']} ({Path(options['dump']).stat().st_size / 1e6:.1f} MB).")
