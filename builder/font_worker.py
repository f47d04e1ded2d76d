"""The process that cuts fonts beside a build: forked once, told what to cut through a pipe.

A first build (no font cut cached yet) forks it before importing anything else, so that it
imports fontTools' instancer on the processor the build leaves idle while it imports its own
modules (and, building the built-in kit, is sent that kit's faces at once: builder.entry);
any other build forks it when it first lacks a cut. It runs each job (a function and its
arguments, one a variable font) in a process of its own and ends when they all have; the
build waits for it before opening a cut, and so does a parallel build's worker forked
meanwhile. Linux only (fork), from a process with one thread that is not a worker of a
parallel build already.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from builder import collector

Job = tuple[Callable[..., None], tuple[Any, ...]]


class _Worker:
    """A forked cutting process and the write end of its pipe, from the process that forked
    it (a process forked from that one must not wait for it)."""

    def __init__(self, pid: int, pipe: int) -> None:
        """Keep the worker's process id and the pipe its jobs go down."""
        self.pid, self.pipe, self.parent, self.done = pid, pipe, os.getpid(), False

    def wait(self, target: str = "") -> None:
        """Wait until the worker has ended (once: its status is collected the first time); in
        a process forked after it (a parallel build's worker), until it has made target."""
        if self.parent != os.getpid():
            _await(self.pid, target)
        elif not self.done:
            self.done = True
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)


_IDLE: _Worker | None = None  # forked, no job sent yet
_RUNNING: dict[str, _Worker] = {}  # cut (target path) -> the worker making it


def start_for_first_build(argv: list[str], fonts: Path) -> bool:
    """Fork the worker now if argv builds PDFs (not only the deck) and the font cache (fonts)
    holds no cut yet; return whether it did."""
    formats = option_values(argv, "--format")
    pdfs = not formats or any(name != "deck" for name in formats)
    asks = not {"--help", "--version"} & set(argv)
    if argv[:1] == ["build"] and asks and pdfs and not any(fonts.glob("*.ttf")):
        return start() is not None
    return False


def option_values(argv: list[str], option: str) -> list[str]:
    """Return the values argv gives option (`--option value` or `--option=value`)."""
    values = [argv[i + 1] for i, arg in enumerate(argv[:-1]) if arg == option]
    return values + [arg.partition("=")[2] for arg in argv if arg.startswith(f"{option}=")]


def start() -> _Worker | None:
    """Return the idle worker, forking it first if there is none; None where it may not fork."""
    global _IDLE
    if _IDLE is not None and _IDLE.parent == os.getpid():
        return _IDLE
    if not _may_fork():
        return None
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the worker, gone by os._exit
        os.close(write)
        _quiet()
        _serve(read)
    os.close(read)
    _IDLE = _Worker(pid, write)
    return _IDLE


def submit(jobs: list[Job], targets: list[str]) -> bool:
    """Send jobs to the worker (forked now if need be), which makes targets; return whether
    it took them (False: none could be forked or it is gone, and each cut is made when opened)."""
    global _IDLE
    worker = start()
    if worker is None:
        return False
    _IDLE = None
    try:
        with os.fdopen(worker.pipe, "wb") as pipe:
            pipe.write(pickle.dumps(jobs))
    except OSError:
        return False
    _RUNNING.update(dict.fromkeys(targets, worker))
    return True


def running(target: str) -> bool:
    """Return whether a worker is making target (this process's, or one forked before this
    process was)."""
    worker = _RUNNING.get(target)
    return worker is not None and not worker.done


def wait(target: str) -> None:
    """Wait for the worker making target, if one is."""
    worker = _RUNNING.pop(target, None)
    if worker is not None:
        worker.wait(target)


def _await(pid: int, target: str) -> None:
    """Wait until target exists or the worker pid has ended: from a process that is not its
    parent, which cannot wait for it, so by looking every few milliseconds."""
    while target and not os.path.exists(target) and _alive(pid):
        time.sleep(0.005)


def _alive(pid: int) -> bool:
    """Return whether process pid runs (Linux: neither gone nor ended and not yet collected)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rpartition(b")")[2].split()[0] != b"Z"
    except (OSError, IndexError):
        return False


def _may_fork() -> bool:
    """Return whether to fork: on Linux, in a process with no other thread, that is not a
    worker of a parallel build (ten kits' workers would each fork one)."""
    import threading

    pool = sys.modules.get("multiprocessing")
    worker = pool is not None and pool.parent_process() is not None
    return sys.platform.startswith("linux") and threading.active_count() == 1 and not worker


def _quiet() -> None:  # pragma: no cover - runs in the forked worker
    """Let go of the build's terminal or pipes: whoever reads the build's output is done when
    the build is (a cut that fails is made again, its error shown, when the build opens it)."""
    quiet = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(quiet, fd)
    os.close(quiet)


def _serve(pipe: int) -> None:  # pragma: no cover - runs in the forked worker
    """Import the instancer while the build imports its modules, run the jobs the pipe brings
    (each in a process of its own but the last), wait for them and end."""
    children = []
    with contextlib.suppress(BaseException):
        with collector.settled():  # no collections while importing, then what it made frozen
            import fontTools.varLib.instancer  # noqa: F401

        with os.fdopen(pipe, "rb") as source:
            data = source.read()
        jobs: list[Job] = pickle.loads(data) if data else []
        for function, args in jobs[:-1]:
            pid = os.fork()
            if pid == 0:
                _run(function, args)
            children.append(pid)
        if jobs:
            function, args = jobs[-1]
            with contextlib.suppress(BaseException):
                function(*args)
    for pid in children:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
    os._exit(0)


def _run(function: Callable[..., None], args: tuple[Any, ...]) -> None:  # pragma: no cover
    """Run one job in a forked process and end it."""
    with contextlib.suppress(BaseException):
        function(*args)
    os._exit(0)
