"""Reference data: boroughs, sectors and objectives (seeded by migration)."""

from sqlmodel import Field, SQLModel


class Borough(SQLModel, table=True):
    __tablename__ = "borough"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=8, unique=True)
    name: str = Field(max_length=80, unique=True)
    is_priority: bool = Field(
        default=False, description="one of the VRU's directly targeted boroughs"
    )


class SectorRef(SQLModel, table=True):
    __tablename__ = "sector"

    code: str = Field(primary_key=True, max_length=32)
    label: str = Field(max_length=80)
    position: int = 0


class Objective(SQLModel, table=True):
    __tablename__ = "objective"

    id: int | None = Field(default=None, primary_key=True)
    number: int = Field(unique=True)
    title: str = Field(max_length=200)
