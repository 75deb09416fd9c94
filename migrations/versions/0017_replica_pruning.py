"""Each search replica says where its folder is, so that a folder rebuilt under a new identity
retires the one it replaces instead of leaving it to hold back pruning of the change log

Revision ID: 0017_replica_pruning
Revises: 0016_org_domains
"""
from alembic import op
import sqlalchemy as sa


revision = '0017_replica_pruning'
down_revision = '0016_org_domains'
branch_labels = None
depends_on = None


def upgrade():
    # Rows from before stay without one: they are never retired, only aged out by retention.
    with op.batch_alter_table('search_replicas') as batch:
        batch.add_column(sa.Column('location', sa.String(length=600), nullable=True))


def downgrade():
    with op.batch_alter_table('search_replicas') as batch:
        batch.drop_column('location')
