"""Where the app's errors go: one line on the terminal, the details in a log file without personal data.

An expected error (a file with a wrong header, a record someone else changed)
already has its message in the dialog; the terminal gets one line, never a
traceback. An unexpected one (a bug) is shown in words and its traceback goes
to ``vru-crm.log`` in the user's log folder (``platformdirs.user_log_dir``),
which the message names so it can be sent to whoever supports the app.

The file is meant to be sent on, so it holds no personal data: messages and
exception texts are scrubbed of what may be a name, an address or a number
(quoted text, e-mail addresses, long digit runs, SQL parameters) before they
are written; the traceback's file names, lines and code stay, which is what a
developer needs.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
import traceback
from pathlib import Path
from typing import TextIO

LOG_NAME = "vru-crm.log"
_HANDLER_MARK = "_vru_crm_handler"
_directory: Path | None = None

_SCRUBS = [
    (re.compile(r"\[parameters: .*?\](?=\s|$)", re.DOTALL), "[parameters: …]"),
    (re.compile(r"\[SQL parameters: .*?\]", re.DOTALL), "[parameters: …]"),
    (re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"), "<e-mail>"),
    (re.compile(r"'(?:[^'\\\n]|\\.){1,200}'"), "'…'"),
    (re.compile(r'"(?:[^"\\\n]|\\.){1,200}"'), '"…"'),
    (re.compile(r"[“‘][^”’\n]{1,200}[”’]"), "“…”"),
    (re.compile(r"\+?\d[\d ()-]{6,}\d"), "<number>"),
]


def scrub(text: str) -> str:
    """``text`` without what may be personal data (see the module docstring)."""
    for pattern, replacement in _SCRUBS:
        text = pattern.sub(replacement, text)
    return text


def log_directory() -> Path:
    if _directory is not None:
        return _directory
    import platformdirs

    return Path(platformdirs.user_log_dir("vru-crm", "London VRU"))


def log_file() -> Path:
    """The file the details of unexpected errors are written to."""
    return log_directory() / LOG_NAME


class OneLine(logging.Formatter):
    """For the terminal: the message on one line; a traceback is replaced by where it was written."""

    def format(self, record: logging.LogRecord) -> str:
        text = f"{record.levelname} {record.name}: {record.getMessage()}"
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            text += f" ({error.__class__.__name__}; details in {log_file()})"
        return " ".join(text.split())


class Scrubbed(logging.Formatter):
    """For the file: time, level, where, the scrubbed message and traceback.

    ``format`` is whole here: the base class would reuse a traceback text another
    handler cached on the record, with the exception's words in it.
    """

    def format(self, record: logging.LogRecord) -> str:
        text = f"{self.formatTime(record)} {record.levelname} {record.name}: "
        text += scrub(record.getMessage())
        if record.exc_info and record.exc_info[1] is not None:
            text += "\n" + self.formatException(record.exc_info)
        return text

    def formatException(self, exc_info) -> str:  # noqa: N802 (logging API)
        kind, error, tb = exc_info
        frames = "".join(traceback.format_tb(tb))
        message = scrub(str(error)) if error is not None else ""
        chained = (error.__cause__ or error.__context__) if error is not None else None
        cause = f"\n(caused by {chained.__class__.__name__})" if chained is not None else ""
        return f"Traceback (most recent call last):\n{frames}{kind.__name__}: {message}{cause}"


def configure(
    directory: Path | None = None, stream: TextIO | None = None, level: int | None = None
) -> Path:
    """Send log records to the terminal (one line each) and to the log file; returns its path.

    Replaces the formatter of handlers already on the root logger (the CLI's
    ``basicConfig``) so no traceback reaches the terminal. Safe to call twice.
    """
    global _directory
    _directory = directory
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _HANDLER_MARK, False):
            root.removeHandler(handler)
            handler.close()
        elif type(handler) is logging.StreamHandler:  # the CLI's basicConfig one
            handler.setFormatter(OneLine())
    if stream is not None or not any(type(h) is logging.StreamHandler for h in root.handlers):
        console = logging.StreamHandler(stream or sys.stderr)
        console.setFormatter(OneLine())
        setattr(console, _HANDLER_MARK, True)
        root.addHandler(console)
    path = log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        file = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=2, encoding="utf-8", delay=True
        )
    except OSError as error:  # a read-only home: the terminal line is all there is
        logging.getLogger(__name__).warning("No log file (%s)", error.__class__.__name__)
        return path
    file.setFormatter(Scrubbed())
    file.setLevel(logging.WARNING)
    setattr(file, _HANDLER_MARK, True)
    root.addHandler(file)
    if level is not None:
        root.setLevel(level)
    elif root.level == logging.NOTSET or root.level > logging.WARNING:
        root.setLevel(logging.WARNING)
    return path


def one_line(error: BaseException) -> str:
    """An expected error as the single line the terminal gets."""
    return f"{error.__class__.__name__}: {' '.join(str(error).split())}"
