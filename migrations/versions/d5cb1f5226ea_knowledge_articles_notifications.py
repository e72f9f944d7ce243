"""Knowledge articles (contributors, modules, tags, translations), notifications, and the
extra fields of a revision (an article's summary, countries and modules)

Revision ID: d5cb1f5226ea
Revises: d4a8f1c2b9e6
Create Date: 2026-11-29 10:10:08.388173

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd5cb1f5226ea'
down_revision = 'd4a8f1c2b9e6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('url', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_notification_actor_id_user')),
    sa.ForeignKeyConstraint(['recipient_id'], ['user.id'], name=op.f('fk_notification_recipient_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification'))
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index('ix_notification_recipient_id_created_at', ['recipient_id', 'created_at'], unique=False)

    op.create_table('article',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('lang', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('countries', sa.String(length=200), nullable=False),
    sa.Column('curator_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('review_comment', sa.Text(), nullable=False),
    sa.Column('source_question_id', sa.Integer(), nullable=True),
    sa.Column('translation_of_id', sa.Integer(), nullable=True),
    sa.Column('review_by', sa.Date(), nullable=True),
    sa.Column('verified_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['curator_id'], ['user.id'], name=op.f('fk_article_curator_id_user')),
    sa.ForeignKeyConstraint(['reviewer_id'], ['user.id'], name=op.f('fk_article_reviewer_id_user')),
    sa.ForeignKeyConstraint(['source_question_id'], ['question.id'], name=op.f('fk_article_source_question_id_question')),
    sa.ForeignKeyConstraint(['translation_of_id'], ['article.id'], name=op.f('fk_article_translation_of_id_article')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_article')),
    sa.UniqueConstraint('slug', name=op.f('uq_article_slug'))
    )
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.create_index('ix_article_source_question_id', ['source_question_id'], unique=False)
        batch_op.create_index('ix_article_status_published_at', ['status', 'published_at'], unique=False)
        batch_op.create_index('ix_article_translation_of_id', ['translation_of_id'], unique=False)

    op.create_table('article_contributor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('source_answer_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], name=op.f('fk_article_contributor_article_id_article'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_answer_id'], ['answer.id'], name=op.f('fk_article_contributor_source_answer_id_answer')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_article_contributor_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_article_contributor')),
    sa.UniqueConstraint('article_id', 'user_id', name=op.f('uq_article_contributor_article_id'))
    )
    with op.batch_alter_table('article_contributor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_article_contributor_user_id'), ['user_id'], unique=False)

    op.create_table('article_module',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], name=op.f('fk_article_module_article_id_article'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['module_id'], ['module.id'], name=op.f('fk_article_module_module_id_module'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_id', 'module_id', name=op.f('pk_article_module'))
    )
    with op.batch_alter_table('article_module', schema=None) as batch_op:
        batch_op.create_index('ix_article_module_module_id_article_id', ['module_id', 'article_id'], unique=False)

    op.create_table('article_tag',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], name=op.f('fk_article_tag_article_id_article'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_id'], ['tag.id'], name=op.f('fk_article_tag_tag_id_tag'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_id', 'tag_id', name=op.f('pk_article_tag'))
    )
    with op.batch_alter_table('article_tag', schema=None) as batch_op:
        batch_op.create_index('ix_article_tag_tag_id_article_id', ['tag_id', 'article_id'], unique=False)

    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fields', sa.JSON(), nullable=True))



def downgrade():
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.drop_column('fields')

    with op.batch_alter_table('article_tag', schema=None) as batch_op:
        batch_op.drop_index('ix_article_tag_tag_id_article_id')

    op.drop_table('article_tag')
    with op.batch_alter_table('article_module', schema=None) as batch_op:
        batch_op.drop_index('ix_article_module_module_id_article_id')

    op.drop_table('article_module')
    with op.batch_alter_table('article_contributor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_article_contributor_user_id'))

    op.drop_table('article_contributor')
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.drop_index('ix_article_translation_of_id')
        batch_op.drop_index('ix_article_status_published_at')
        batch_op.drop_index('ix_article_source_question_id')

    op.drop_table('article')
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_recipient_id_created_at')

    op.drop_table('notification')
