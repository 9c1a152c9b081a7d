"""Fixtures of the dossier tests: the report tests' transformed enterprise (``world``: diagnosis, evaluation,
project, acceptance, a paid tranche, a recognition and an evidence file) and helpers that run the build in-process
and read a zip back."""

import hashlib
import io
import json
import subprocess
import zipfile

import pytest

from tests.reports.conftest import world  # noqa: F401 - the same programme state as the document tests


@pytest.fixture
def eager(django_capture_on_commit_callbacks):
    """Run ``call()`` with tasks in-process when its transaction commits (as with no broker); returns its answer."""
    from songjiang_pilot.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True

    def run(call):
        with django_capture_on_commit_callbacks(execute=True):
            return call()

    try:
        yield run
    finally:
        app.conf.task_always_eager = before


def zip_members(content):
    """``{path: bytes}`` of a zip's members."""
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist() if not info.is_dir()}


def checked_manifest(content):
    """The manifest of a zip, after checking that it lists every other member with its true SHA-256 and size,
    and nothing that is not in the zip."""
    members = zip_members(content)
    manifest = json.loads(members["manifest.json"])
    listed = {f["path"]: f for f in manifest["files"]}
    assert len(listed) == len(manifest["files"]), "a path listed twice"
    assert set(listed) == set(members) - {"manifest.json"}
    for path, data in members.items():
        if path == "manifest.json":
            continue
        assert listed[path]["sha256"] == hashlib.sha256(data).hexdigest(), path
        assert listed[path]["bytes"] == len(data), path
    return manifest, members


def pdf_text(content, tmp_path):
    path = tmp_path / "summary.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout
