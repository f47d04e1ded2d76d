"""Publishing: a build's files appear together or not at all, whenever the build is killed."""

from __future__ import annotations

import io
import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from pptx import Presentation
from pypdf import PdfReader

from builder.publish import publish, recover

SHIPPED = Path("sources/therapeutic-crying.yaml").resolve()


def test_a_set_replaces_the_old_one_keeping_files_and_folders_it_does_not_build(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "out" / "workshop"
    publish({"deck.pptx": b"old deck", "handout.pdf": b"old handout"}, folder)
    (folder / "northwind").mkdir()  # another brand's build beside it
    (folder / "northwind" / "deck.pptx").write_bytes(b"brand deck")
    written = publish({"deck.pptx": b"new deck"}, folder)
    assert written == [folder / "deck.pptx"]
    assert (folder / "deck.pptx").read_bytes() == b"new deck"
    assert (folder / "handout.pdf").read_bytes() == b"old handout"  # not rebuilt: kept
    assert (folder / "northwind" / "deck.pptx").read_bytes() == b"brand deck"
    assert sorted(p.name for p in tmp_path.joinpath("out").iterdir()) == ["workshop"]
    assert not (folder / ".complete").exists()


def test_a_run_killed_between_folders_is_recovered_by_the_next(tmp_path: Path) -> None:
    folder = tmp_path / "workshop"
    staged = tmp_path / ".workshop.new-123"  # a complete new set, folder not yet in place
    staged.mkdir()
    (staged / "deck.pptx").write_bytes(b"new")
    (staged / ".complete").touch()
    recover(folder)
    assert (folder / "deck.pptx").read_bytes() == b"new" and not staged.exists()
    assert not (folder / ".complete").exists()


def test_sub_folders_left_in_a_hidden_folder_move_back(tmp_path: Path) -> None:
    folder = tmp_path / "workshop"
    folder.mkdir()
    leftover = tmp_path / ".workshop.new-9"  # the old set, killed before its brands moved
    (leftover / "harborlight").mkdir(parents=True)
    (leftover / "harborlight" / "deck.pptx").write_bytes(b"brand")
    recover(folder)
    assert (folder / "harborlight" / "deck.pptx").read_bytes() == b"brand"
    assert not leftover.exists()


def _epoch_of(folder: Path) -> set[str]:
    """Return the build dates the files of a set carry (one date: one build)."""
    dates = set()
    deck, handout = folder / "deck.pptx", folder / "handout.pdf"
    if deck.exists():
        assert zipfile.ZipFile(deck).testzip() is None
        dates.add(Presentation(io.BytesIO(deck.read_bytes())).core_properties.modified.isoformat())
    if handout.exists():
        created = PdfReader(handout).metadata["/CreationDate"]
        dates.add(
            f"{created[2:6]}-{created[6:8]}-{created[8:10]}T{created[10:12]}:{created[12:14]}:{created[14:16]}"
        )
    return dates


def test_builds_killed_at_random_moments_leave_one_whole_set(tmp_path: Path) -> None:
    out, rng = tmp_path / "out", random.Random(7)
    for i in range(8):
        env = {**os.environ, "SOURCE_DATE_EPOCH": str(1_700_000_000 + 86_400 * i)}
        args = [sys.executable, "-m", "builder", "build", str(SHIPPED), "--format", "deck",
                "--format", "handout", "--out", str(out), "--jobs", "1"]  # fmt: skip
        child = subprocess.Popen(
            args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0.5, 3.0))
        child.send_signal(signal.SIGKILL)
        child.wait()
        folder = out / "therapeutic-crying"
        if folder.exists():
            names = {p.name for p in folder.iterdir()}
            assert names <= {"deck.pptx", "handout.pdf"}, names
            assert len(_epoch_of(folder)) <= 1, f"a mixed set after kill {i}"
    subprocess.run([*args[:-2]], env=env, check=True, capture_output=True)  # a whole run settles
    assert sorted(p.name for p in (out / "therapeutic-crying").iterdir()) == [
        "deck.pptx",
        "handout.pdf",
    ]
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
