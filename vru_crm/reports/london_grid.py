"""Where each of the 33 London local authorities sits on a tile map.

A geographic map of London squeezes the small central boroughs into slivers
and gives outer boroughs like Bromley most of the ink. A tile map gives every
authority the same square, placed roughly where it lies, so a count per
borough reads at a glance. The layout follows the well-known "London squares"
arrangement: eight columns west to east, seven rows north to south.
"""

from __future__ import annotations

from dataclasses import dataclass

COLUMNS = 8
ROWS = 7

# Borough code (db/reference_data.py) -> (column, row); column 0 is the west, row 0 the north.
TILES: dict[str, tuple[int, int]] = {
    "ENF": (4, 0),
    "HRW": (2, 1), "BRN": (3, 1), "HGY": (4, 1), "WAL": (5, 1),
    "HIL": (0, 2), "EAL": (1, 2), "BRE": (2, 2), "CAM": (3, 2),
    "ISL": (4, 2), "HAC": (5, 2), "RED": (6, 2), "HAV": (7, 2),
    "HOU": (0, 3), "HAM": (1, 3), "KEN": (2, 3), "WES": (3, 3),
    "CTY": (4, 3), "TOW": (5, 3), "NEW": (6, 3), "BAR": (7, 3),
    "RIC": (1, 4), "WAN": (2, 4), "LAM": (3, 4), "SWK": (4, 4),
    "LEW": (5, 4), "GRE": (6, 4), "BEX": (7, 4),
    "KIN": (2, 5), "MER": (3, 5), "CRO": (4, 5), "BRO": (5, 5),
    "SUT": (3, 6),
}  # fmt: skip

# Short names that fit on a tile.
ABBREVIATIONS: dict[str, str] = {
    "BAR": "Bark", "BRN": "Barn", "BEX": "Bexl", "BRE": "Brent", "BRO": "Brom",
    "CAM": "Camd", "CTY": "City", "CRO": "Croy", "EAL": "Eal", "ENF": "Enf",
    "GRE": "Gwch", "HAC": "Hack", "HAM": "H&F", "HGY": "Hgy", "HRW": "Harr",
    "HAV": "Hav", "HIL": "Hill", "HOU": "Houn", "ISL": "Isl", "KEN": "K&C",
    "KIN": "King", "LAM": "Lamb", "LEW": "Lew", "MER": "Mert", "NEW": "Newh",
    "RED": "Redb", "RIC": "Rich", "SWK": "Sthw", "SUT": "Sutt", "TOW": "Tow H",
    "WAL": "W For", "WAN": "Wand", "WES": "West",
}  # fmt: skip


@dataclass(frozen=True)
class Tile:
    code: str
    column: int
    row: int

    @property
    def abbreviation(self) -> str:
        return ABBREVIATIONS.get(self.code, self.code)


def tile_for(code: str) -> Tile | None:
    """The tile of a borough code, or None for a code not on the map."""
    place = TILES.get(code)
    return Tile(code, *place) if place else None


def tile_at(column: int, row: int) -> Tile | None:
    """The tile at a grid position, or None for the sea around London."""
    for code, place in TILES.items():
        if place == (column, row):
            return Tile(code, column, row)
    return None
