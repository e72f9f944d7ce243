"""PostgreSQL search: the spelling vocabulary keeps each word's language

Revision ID: e3c1a9d27f40
Revises: df92c7d84236
Create Date: 2026-12-01 08:00:00.000000

Only on PostgreSQL. "Did you mean" corrects a query from its own language's words
(search_index.spelling): `search_word` gets a `lang` column and one row per word and language,
refilled from the documents' spelling words, so no rebuild is needed after this upgrade.
"""
from alembic import op

from search_index import pg_schema


# revision identifiers, used by Alembic.
revision = 'e3c1a9d27f40'
down_revision = 'df92c7d84236'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    pg_schema.create_schema(op.get_bind())


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    pg_schema.words_without_language(op.get_bind())
