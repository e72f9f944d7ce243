"""The revision of an article that readers see, so that a change to a published article
waits for review (issue 12, item 6)

Revision ID: a12d4a710003
Revises: a12c5e550002
Create Date: 2026-11-30 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a12d4a710003'
down_revision = 'a12c5e550002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.add_column(sa.Column('published_revision', sa.Integer(), nullable=True))
    # Until now an edit went live at once: what is published is the newest revision.
    op.execute("UPDATE article SET published_revision = (SELECT MAX(revision.number) "
               "FROM revision WHERE revision.target_type = 'article' "
               "AND revision.target_id = article.id) "
               "WHERE status IN ('published', 'archived')")


def downgrade():
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.drop_column('published_revision')
