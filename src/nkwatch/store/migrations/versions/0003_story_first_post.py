"""A story's smallest post id is read from the index, not by scanning its members.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.drop_index("story_members_story", "story_members")
    op.create_index("story_members_story", "story_members", ["story_id", "post_id"])
