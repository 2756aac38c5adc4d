"""Claims: the figures posts state, tied to what they are about, when, and who says it.

Posts stored before this revision have no claims; ingesting new documents adds theirs.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from nkwatch.store.schema import Text

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    op.create_table(
        "claims",
        sa.Column("post_id", Text, sa.ForeignKey("posts.id"), primary_key=True),
        sa.Column("start", sa.Integer, primary_key=True),
        sa.Column("end", sa.Integer, primary_key=True),
        sa.Column("part", sa.Integer, primary_key=True),
        sa.Column("text", Text, nullable=False),
        sa.Column("kind", Text, nullable=False),
        sa.Column("measure", Text, nullable=False),
        sa.Column("value", sa.Float),
        sa.Column("value_max", sa.Float),
        sa.Column("unit", Text),
        sa.Column("per", Text),
        sa.Column("subject_id", Text, sa.ForeignKey("entities.id")),
        sa.Column("product_id", Text, sa.ForeignKey("entities.id")),
        sa.Column("place_id", Text, sa.ForeignKey("entities.id")),
        sa.Column("period_start", Text),
        sa.Column("period_end", Text),
        sa.Column("period_precision", Text, nullable=False),
        sa.Column("period_text", Text),
        sa.Column("said_by", Text),
        sa.Column("said_by_kind", Text),
        sa.Column("sentence_start", sa.Integer, nullable=False),
        sa.Column("sentence_end", sa.Integer, nullable=False),
    )
    op.create_index("claims_subject", "claims", ["subject_id"])
    op.create_index("claims_product", "claims", ["product_id", "kind"])
    op.create_index("claims_place", "claims", ["place_id"])
