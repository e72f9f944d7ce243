"""Search queue: attempts, last error and next try of a document the engine refused

Revision ID: a12a5e4c0001
Revises: a12d4a710003
Create Date: 2026-11-30 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a12a5e4c0001'
down_revision = 'a12d4a710003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('search_queue', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0',
                                      nullable=False))
        batch_op.add_column(sa.Column('last_error', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('retry_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('search_queue', schema=None) as batch_op:
        batch_op.drop_column('retry_at')
        batch_op.drop_column('last_error')
        batch_op.drop_column('attempts')
