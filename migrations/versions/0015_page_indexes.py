"""Indexes for the pages at scale: entries waiting for an answer, and a history newest first

Revision ID: 0015_page_indexes
Revises: 0014_submissions
"""
from alembic import op
import sqlalchemy as sa


revision = '0015_page_indexes'
down_revision = '0014_submissions'
branch_labels = None
depends_on = None

PENDING = sa.text("status = 'pending'")


def upgrade():
    # Only the pending entries: the dashboard groups them by relationship and logger without
    # reading the confirmed history (most of a million rows).
    op.create_index('ix_interactions_pending', 'interactions',
                    ['relationship_id', 'logged_by_id', 'occurred_on'],
                    postgresql_where=PENDING, sqlite_where=PENDING)
    # A relationship's history a page at a time, newest first.
    op.create_index('ix_interactions_history', 'interactions',
                    ['relationship_id', 'occurred_on', 'id'])


def downgrade():
    op.drop_index('ix_interactions_history', table_name='interactions')
    op.drop_index('ix_interactions_pending', table_name='interactions')
