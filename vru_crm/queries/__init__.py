"""Read side: paged lists, search, and the figures the screens show.

Every function here returns plain rows (dataclasses and tuples), never ORM
objects, so the UI can keep them across threads. SQL does the filtering,
sorting, aggregation and paging: nothing loads a whole table into Python.
"""

from vru_crm.queries.common import Column, Filters, ListQuery, Sort

__all__ = ["Column", "Filters", "ListQuery", "Sort"]
