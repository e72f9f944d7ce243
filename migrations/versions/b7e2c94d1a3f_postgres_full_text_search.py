"""PostgreSQL full-text search engine: extensions, text search configurations, tables

Revision ID: b7e2c94d1a3f
Revises: 4991dfabe41b
Create Date: 2026-11-29 15:00:00.000000

Only on PostgreSQL (SQLite databases use the Whoosh engine). The DDL lives in
search_index.pg_schema (create_schema / drop_schema) so that tests on a database that did not
go through migrations build the same thing; these tables are not SQLAlchemy models, and
migrations/env.py leaves them out of autogenerate.
"""
from alembic import op

from search_index import pg_schema


# revision identifiers, used by Alembic.
revision = 'b7e2c94d1a3f'
down_revision = '4991dfabe41b'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    pg_schema.create_schema(op.get_bind())


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    pg_schema.drop_schema(op.get_bind())
