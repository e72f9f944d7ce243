"""thesaurus concepts in the database: experts edit them from a page

Revision ID: a7c31e5d9b02
Revises: e5a1c3d7f902
Create Date: 2026-12-01 07:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c31e5d9b02'
down_revision = 'e5a1c3d7f902'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'thesaurus_concept',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('slug', sa.String(length=80), nullable=False),
        sa.Column('names', sa.JSON(), nullable=False),
        sa.Column('tags', sa.String(length=1000), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('slug'))
    op.create_table(
        'thesaurus_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint('id'))


def downgrade():
    op.drop_table('thesaurus_version')
    op.drop_table('thesaurus_concept')
