"""The few statements the two dialects spell differently."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite


def insert_ignore_for(dialect: str, table: sa.Table) -> sa.Insert:
    """INSERT ... ON CONFLICT DO NOTHING, in this dialect."""
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(table).on_conflict_do_nothing()
