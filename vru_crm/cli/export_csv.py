"""``export csv`` (placeholder until the CSV exporter lands)."""

import argparse


def register(formats: argparse._SubParsersAction) -> None:
    pass
