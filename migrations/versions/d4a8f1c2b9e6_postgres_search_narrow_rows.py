"""PostgreSQL search: stored text moved to search_content; score and title-length indexes

Revision ID: d4a8f1c2b9e6
Revises: b7e2c94d1a3f
Create Date: 2026-11-29 10:00:00.000000

Only on PostgreSQL. Ranking reads the vector of every match: with the stored text and the
native vector in the same rows, the vectors were pushed into TOAST and searches for common
words took ten times longer (see search_index.pg_schema). The rows are moved, not dropped:
no rebuild is needed after this upgrade.
"""
from alembic import op

from search_index import pg_schema


# revision identifiers, used by Alembic.
revision = 'd4a8f1c2b9e6'
down_revision = 'b7e2c94d1a3f'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    # Splits a search_document made by the previous revision, then adds what is missing.
    pg_schema.create_schema(op.get_bind())


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    pg_schema.join_content(op.get_bind())
