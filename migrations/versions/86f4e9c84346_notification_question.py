"""The question a notification is about

A deleted question's title stays hidden from those who may not see it; accepted-answer
notifications already sent get their question from their link.

Revision ID: 86f4e9c84346
Revises: a12a5e4c0001
Create Date: 2026-12-02 10:00:00.000000

"""
import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '86f4e9c84346'
down_revision = 'a12a5e4c0001'
branch_labels = None
depends_on = None

QUESTION_LINK = re.compile(r"/questions/(\d+)(?:[/#?]|$)")


def upgrade():
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('question_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_notification_question_id_question'),
                                    'question', ['question_id'], ['id'])

    notification = sa.table('notification', sa.column('id', sa.Integer()),
                            sa.column('kind', sa.String()), sa.column('url', sa.String()),
                            sa.column('question_id', sa.Integer()))
    question = sa.table('question', sa.column('id', sa.Integer()))
    connection = op.get_bind()
    sent = connection.execute(sa.select(notification.c.id, notification.c.url)
                              .where(notification.c.kind == 'accepted')).all()
    for notification_id, url in sent:
        found = QUESTION_LINK.match(url)
        if found:
            question_id = int(found.group(1))
            connection.execute(
                notification.update()
                .where(notification.c.id == notification_id,
                       sa.exists().where(question.c.id == question_id))
                .values(question_id=question_id))


def downgrade():
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_notification_question_id_question'),
                                 type_='foreignkey')
        batch_op.drop_column('question_id')
