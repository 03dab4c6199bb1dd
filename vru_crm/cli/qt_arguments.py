"""Qt's own command-line options, taken out before our parser sees the rest.

``vru-crm -style Fusion`` was a usage error (exit 2): argparse knew nothing of
the options every Qt program accepts. They are recognised here
by name, kept in order with their values, and handed to the QApplication when
the desktop app opens; the rest goes to argparse as before. Only Qt's
single-dash spelling is taken, so no ``--title`` or ``--name`` of a command can
be mistaken for one. No Qt import: this is plain list work.
"""

from __future__ import annotations

from collections.abc import Sequence

# Options that take a value (``-style Fusion`` or ``-style=Fusion``).
WITH_VALUE = frozenset(
    {
        "style",
        "stylesheet",
        "platform",
        "platformpluginpath",
        "platformtheme",
        "plugin",
        "qwindowgeometry",
        "qwindowicon",
        "qwindowtitle",
        "session",
        "display",
        "geometry",
        "qmljsdebugger",
    }
)
# Options that stand alone.
FLAGS = frozenset({"reverse", "widgetcount", "nograb", "dograb", "sync", "testability"})


def split_qt_arguments(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    """``(ours, qt)``: the arguments for our parser, and Qt's own options with their values."""
    ours: list[str] = []
    qt: list[str] = []
    items = list(argv)
    i = 0
    while i < len(items):
        arg = items[i]
        name = arg[1:].split("=", 1)[0] if arg.startswith("-") and not arg.startswith("--") else ""
        if name in FLAGS and "=" not in arg or name in WITH_VALUE and "=" in arg:
            qt.append(arg)
        elif name in WITH_VALUE and i + 1 < len(items):
            qt.extend(items[i : i + 2])
            i += 1
        else:
            ours.append(arg)
        i += 1
    return ours, qt
