"""tag synonyms: a tag may point to the main tag of its group

Revision ID: e5a1c3d7f902
Revises: e3c1a9d27f40
Create Date: 2026-12-01 07:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5a1c3d7f902'
down_revision = 'e3c1a9d27f40'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tag', schema=None) as batch_op:
        batch_op.add_column(sa.Column('synonym_of_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_tag_synonym_of_id'), ['synonym_of_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_tag_synonym_of_id_tag'), 'tag',
                                    ['synonym_of_id'], ['id'])


def downgrade():
    with op.batch_alter_table('tag', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_tag_synonym_of_id_tag'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_tag_synonym_of_id'))
        batch_op.drop_column('synonym_of_id')
