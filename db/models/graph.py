"""Stored positions of the partnership graph's nodes.

Why stored: a full layout of thousands of nodes takes about a second, and a map
that rearranges itself every time it opens is hard to read. Positions are kept
per ``scope`` (the whole graph, or one filtered view) and per node key such as
``org:12``; ``signature`` is a digest of the node's neighbours, so a later layout
can tell which nodes changed and move only those.
"""

from datetime import datetime

from sqlmodel import Field, SQLModel

from db.types import UTCDateTime, utcnow


class GraphNodePosition(SQLModel, table=True):
    __tablename__ = "graph_node_position"

    scope: str = Field(primary_key=True, max_length=64)
    node_key: str = Field(primary_key=True, max_length=64)
    x: float
    y: float
    signature: str = Field(default="", max_length=32)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
