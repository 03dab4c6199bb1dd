"""``export``: one command, a sub-command per format.

Each format lives in its own module with ``register(export_subparsers)`` so the
areas that own them (CSV, calendars, graph, reports) stay apart.
"""

import argparse
import importlib

EXPORT_MODULES = [
    "vru_crm.cli.export_csv",
    "vru_crm.cli.export_xlsx",
    "vru_crm.cli.export_graph",
    "vru_crm.cli.export_ics",
]


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    export = sub.add_parser("export", help="write records to a file (csv, xlsx, ics, graph)")
    formats = export.add_subparsers(dest="format", metavar="FORMAT", required=True)
    for name in EXPORT_MODULES:
        importlib.import_module(name).register(formats)
