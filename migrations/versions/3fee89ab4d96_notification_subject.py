"""A notification names its subject (a type of row and its id) instead of a question and a link

Core's notification table no longer points at a forum table: the kind's package titles and
links the subject when the notification is read (core.notifications.kinds). Rows already
sent get their subject from their link: an accepted answer's "/questions/<q>#answer-<a>" (the
answer), an article's "/kb/articles/<slug>" (the article); their stored title and link are then
cleared, since they show the subject's. A row whose subject is not found (none is expected:
answers and articles are never removed, and redaction kept article links current) keeps its
title and link and is shown as it was. The downgrade writes title, link and question back from
the subjects.

Revision ID: 3fee89ab4d96
Revises: 86f4e9c84346
Create Date: 2026-12-03 10:00:00.000000

"""
import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3fee89ab4d96'
down_revision = '86f4e9c84346'
branch_labels = None
depends_on = None

ANSWER_LINK = re.compile(r"^/questions/(\d+)#answer-(\d+)$")
ARTICLE_LINK = re.compile(r"^/kb/articles/([^/?#]+)$")
ARTICLE_KINDS = ('promoted', 'article_returned', 'article_published')
CHUNK = 500

notification = sa.table('notification', sa.column('id', sa.Integer()),
                        sa.column('kind', sa.String()), sa.column('title', sa.String()),
                        sa.column('url', sa.String()), sa.column('question_id', sa.Integer()),
                        sa.column('subject_type', sa.String()),
                        sa.column('subject_id', sa.Integer()))
answer = sa.table('answer', sa.column('id', sa.Integer()), sa.column('question_id', sa.Integer()))
question = sa.table('question', sa.column('id', sa.Integer()), sa.column('title', sa.String()))
article = sa.table('article', sa.column('id', sa.Integer()), sa.column('slug', sa.String()),
                   sa.column('title', sa.String()))


def _chunks(values):
    values = sorted(values)
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


def _answers(connection, ids):
    """{answer id: (question id, question title)} of the answers that exist among `ids`."""
    found = {}
    for chunk in _chunks(ids):
        found.update((answer_id, (question_id, title)) for answer_id, question_id, title in
                     connection.execute(
                         sa.select(answer.c.id, answer.c.question_id, question.c.title)
                         .join(question, question.c.id == answer.c.question_id)
                         .where(answer.c.id.in_(chunk))))
    return found


def _update(connection, rows):
    """Write each {'id': notification id, column: value...} of `rows` (same columns each)."""
    if rows:
        columns = [name for name in rows[0] if name != 'id']
        # Parameters may not be named after the columns they set.
        connection.execute(
            notification.update().where(notification.c.id == sa.bindparam('row_id'))
            .values({name: sa.bindparam(f'new_{name}') for name in columns}),
            [{'row_id': row['id'], **{f'new_{name}': row[name] for name in columns}}
             for row in rows])


def upgrade():
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subject_type', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('subject_id', sa.Integer(), nullable=True))
        batch_op.alter_column('title',
               existing_type=sa.VARCHAR(length=200),
               nullable=True)
        batch_op.alter_column('url',
               existing_type=sa.VARCHAR(length=300),
               nullable=True)

    connection = op.get_bind()
    rows = connection.execute(sa.select(notification.c.id, notification.c.kind,
                                        notification.c.url, notification.c.question_id)).all()
    accepted = {}
    for notification_id, kind, url, question_id in rows:
        found = ANSWER_LINK.match(url or '') if kind == 'accepted' else None
        if found and question_id in (None, int(found.group(1))):
            accepted[notification_id] = (int(found.group(1)), int(found.group(2)))
    answers = _answers(connection, {answer_id for _q, answer_id in accepted.values()})
    slugs = dict(connection.execute(sa.select(article.c.slug, article.c.id)).all())
    resolved = []
    for notification_id, kind, url, _question_id in rows:
        subject = None
        if notification_id in accepted:
            question_id, answer_id = accepted[notification_id]
            if answers.get(answer_id, (None,))[0] == question_id:
                subject = ('answer', answer_id)
        elif kind in ARTICLE_KINDS:
            found = ARTICLE_LINK.match(url or '')
            if found and found.group(1) in slugs:
                subject = ('article', slugs[found.group(1)])
        if subject is not None:
            resolved.append({'id': notification_id, 'subject_type': subject[0],
                             'subject_id': subject[1], 'title': None, 'url': None})
    _update(connection, resolved)

    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_notification_question_id_question'), type_='foreignkey')
        batch_op.drop_column('question_id')


def downgrade():
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('question_id', sa.INTEGER(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_notification_question_id_question'), 'question', ['question_id'], ['id'])

    connection = op.get_bind()
    rows = connection.execute(sa.select(notification.c.id, notification.c.subject_type,
                                        notification.c.subject_id, notification.c.title,
                                        notification.c.url)).all()
    answers = _answers(connection, {subject_id for _n, subject_type, subject_id, _t, _u in rows
                                    if subject_type == 'answer'})
    articles = {article_id: (slug, title) for article_id, slug, title in connection.execute(
        sa.select(article.c.id, article.c.slug, article.c.title))}
    written = []
    for notification_id, subject_type, subject_id, title, url in rows:
        question_id = None
        if subject_type == 'answer' and subject_id in answers:
            question_id, question_title = answers[subject_id]
            title, url = question_title, f'/questions/{question_id}#answer-{subject_id}'
        elif subject_type == 'article' and subject_id in articles:
            slug, title = articles[subject_id]
            url = f'/kb/articles/{slug}'
        written.append({'id': notification_id, 'question_id': question_id,
                        'title': (title or '')[:200], 'url': (url or '')[:300]})
    _update(connection, written)

    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.alter_column('url',
               existing_type=sa.VARCHAR(length=300),
               nullable=False)
        batch_op.alter_column('title',
               existing_type=sa.VARCHAR(length=200),
               nullable=False)
        batch_op.drop_column('subject_id')
        batch_op.drop_column('subject_type')
