"""A pytest fixture that fails a test when the GUI thread runs a database statement.

The house rule is that nothing reading the database runs on the UI thread: a
slow query there freezes the window. ``gui_thread_guard`` listens to every
SQLAlchemy engine (``before_cursor_execute`` on ``Engine``, so engines made
after the fixture starts are watched too) and records each statement run on
``threading.main_thread()`` while it is active, with a short stack summary of
our own code that led to it. At teardown the test fails, listing them.

A test's own set-up and its checks may read the database on purpose (seeding a
record, asking a service what was saved): wrap those in ``with guard.paused():``.

Use it by importing the fixture into the test module, then asking for
``gui_thread_guard`` (the fixture's name; the function has another so that a
test's argument does not shadow the import)::

    from ui_thread_guard import gui_thread_guard_fixture  # noqa: F401 (a fixture)
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

ROOT = Path(__file__).resolve().parents[1]
OUR_CODE = ("ui", "vru_crm", "db", "tests")  # the folders a stack summary names
STACK_DEPTH = 8


@dataclass(frozen=True)
class GuiRead:
    """One statement the GUI thread ran: its first words and where it came from."""

    statement: str
    stack: tuple[str, ...]

    def describe(self) -> str:
        where = "\n      ".join(self.stack) or "(no frame of ours on the stack)"
        return f"  {self.statement}\n      {where}"


@dataclass
class GuiThreadGuard:
    """Records statements executed on the main thread while watching and not paused."""

    reads: list[GuiRead] = field(default_factory=list)
    _paused: int = 0

    def on_execute(self, _conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        """The engine event: called on the thread that runs the statement."""
        if self._paused or threading.current_thread() is not threading.main_thread():
            return
        first = " ".join(str(statement).split())[:120]
        self.reads.append(GuiRead(first, _our_frames()))

    @contextmanager
    def paused(self) -> Iterator[None]:
        """The test's own set-up or checks, which may read on the main thread on purpose."""
        self._paused += 1
        try:
            yield
        finally:
            self._paused -= 1

    def take(self) -> list[GuiRead]:
        """The reads recorded so far, forgotten (for a test that checks mid-way)."""
        found, self.reads = self.reads, []
        return found

    def report(self, reads: list[GuiRead] | None = None) -> str:
        reads = self.reads if reads is None else reads
        places: dict[tuple[str, ...], list[GuiRead]] = {}
        for read in reads:
            places.setdefault(read.stack, []).append(read)
        lines = [f"{len(reads)} database statement(s) ran on the GUI thread:"]
        for same in places.values():  # one entry per place, with how often it read
            lines.append(f"{len(same)} x " + same[0].describe().lstrip())
        return "\n".join(lines)

    def assert_clean(self) -> None:
        """Fail now if the GUI thread ran any statement (and forget them)."""
        found = self.take()
        if found:
            pytest.fail(self.report(found), pytrace=False)


def _our_frames() -> tuple[str, ...]:
    """The innermost frames in ui/, vru_crm/ and db/, outermost first: where the read began."""
    frames = []
    for frame in traceback.extract_stack()[:-2]:
        try:
            relative = Path(frame.filename).resolve().relative_to(ROOT)
        except ValueError:
            continue
        if relative.parts and relative.parts[0] in OUR_CODE:
            frames.append(f"{relative}:{frame.lineno} {frame.name}")
    return tuple(frames[-STACK_DEPTH:])


@pytest.fixture(name="gui_thread_guard")
def gui_thread_guard_fixture() -> Iterator[GuiThreadGuard]:
    """Fails the test if a statement ran on the GUI thread while it was active."""
    guard = GuiThreadGuard()
    event.listen(Engine, "before_cursor_execute", guard.on_execute)
    try:
        yield guard
    finally:
        event.remove(Engine, "before_cursor_execute", guard.on_execute)
    guard.assert_clean()
