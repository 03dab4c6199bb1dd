"""``import`` command (placeholder until its service lands)."""

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    pass
