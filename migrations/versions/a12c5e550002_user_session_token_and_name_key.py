"""A session token on every user, replaced to end all of the user's sessions; the
comparison key of each display name, so that no one takes a name that looks like another's

Revision ID: a12c5e550002
Revises: d5cb1f5226ea
Create Date: 2026-12-01 11:00:00.000000

"""
import secrets

from alembic import op
import sqlalchemy as sa

from core.accounts.names import name_key


# revision identifiers, used by Alembic.
revision = 'a12c5e550002'
down_revision = 'd5cb1f5226ea'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('display_name_key', sa.String(length=255),
                                      nullable=True))
    # A token of its own for each existing user. Sessions opened before the upgrade carry a
    # bare id, which no longer loads anyone: everybody signs in once more. Names that already
    # look alike stay as they are; the rule applies to the next change of name.
    connection = op.get_bind()
    user = sa.table('user', sa.column('id', sa.Integer), sa.column('display_name', sa.String),
                    sa.column('session_token', sa.String),
                    sa.column('display_name_key', sa.String))
    for user_id, display_name in connection.execute(
            sa.select(user.c.id, user.c.display_name)).all():
        connection.execute(user.update().where(user.c.id == user_id).values(
            session_token=secrets.token_hex(16), display_name_key=name_key(display_name)))
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.alter_column('session_token', existing_type=sa.String(length=32),
                              nullable=False)
        batch_op.alter_column('display_name_key', existing_type=sa.String(length=255),
                              nullable=False)
        batch_op.create_index(batch_op.f('ix_user_display_name_key'), ['display_name_key'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_display_name_key'))
        batch_op.drop_column('display_name_key')
        batch_op.drop_column('session_token')
