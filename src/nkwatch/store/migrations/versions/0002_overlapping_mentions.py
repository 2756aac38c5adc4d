"""Overlapping mentions are all kept; the ingest counter the search index checks.

A mention was keyed by (post, start), so a second entity named from the same
offset was dropped; the key is now (post, start, end, entity).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import warnings

import sqlalchemy as sa
from alembic import op

from nkwatch.store.schema import Text

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    key = ["post_id", "start", "end", "entity_id"]
    if op.get_bind().dialect.name == "sqlite":  # the table is rebuilt with the wider key
        with warnings.catch_warnings():  # SQLAlchemy notes the key it replaces
            warnings.simplefilter("ignore", sa.exc.SAWarning)
            with op.batch_alter_table("mentions", recreate="always") as batch:
                batch.create_primary_key("mentions_pkey", key)
    else:
        op.drop_constraint("mentions_pkey", "mentions", type_="primary")
        op.create_primary_key("mentions_pkey", "mentions", key)
    op.create_table(
        "kb_meta",
        sa.Column("key", Text, primary_key=True),
        sa.Column("value", sa.BigInteger, nullable=False),
    )
