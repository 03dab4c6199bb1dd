"""Entry point of ``vru-crm`` and ``python main.py``: one command line, and the app when no command is given.

It sits above the layers: it hands the Qt launcher to the command line so that
``vru_crm`` never imports ``ui``. Qt's own options (``vru-crm -style Fusion``,
``-reverse``, ``-qwindowgeometry 1024x700``) reach the QApplication.
"""

import sys
from collections.abc import Callable, Sequence


def open_app(db_url: str | None, username: str | None, qt_arguments: Sequence[str] = ()) -> int:
    from ui.app import run_app

    return run_app(db_url=db_url, username=username, qt_arguments=list(qt_arguments))


def main(
    argv: Sequence[str] | None = None,
    launcher: Callable[[str | None, str | None, list[str]], int] | None = None,
) -> int:
    """``vru-crm [options] [COMMAND …]``; ``launcher`` stands in for the app in tests."""
    from ui.reports.renderers import install as install_report_renderers
    from vru_crm.cli.main import main as cli_main

    install_report_renderers()  # chart images and PDF for `report`, drawn with Qt (ui layer)

    return cli_main(argv, open_app=launcher or open_app)


if __name__ == "__main__":
    sys.exit(main())
