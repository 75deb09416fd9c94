"""Search replicas: each index folder's position in the change log, and the log's horizon

Revision ID: 0004_search_replicas
Revises: 0003_trust_columns
Create Date: 2026-12-03 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_search_replicas'
down_revision = '0003_trust_columns'
branch_labels = None
depends_on = None


def upgrade():
    # Rows logged before this have no xid: they key as 0, so every replica (whose stored
    # position was a change id and now reads as the start) re-applies them, harmlessly.
    with op.batch_alter_table('search_changes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('xid', sa.BigInteger(), nullable=True))
        batch_op.create_index('ix_search_changes_xid_id', ['xid', 'id'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        # Every insert, from any code path, records its transaction: the replicas' reading
        # order (see search/replicas.py). pg_current_xact_id() needs PostgreSQL 13.
        op.execute('UPDATE search_changes SET xid = 0 WHERE xid IS NULL')
        op.execute('ALTER TABLE search_changes ALTER COLUMN xid '
                   'SET DEFAULT (pg_current_xact_id()::text::bigint)')
    op.create_table('search_replicas',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.BigInteger(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=False),
    sa.Column('registered_at', sa.DateTime(), nullable=False),
    sa.Column('rebuilt_at', sa.DateTime(), nullable=True),
    sa.Column('rebuilt_because', sa.String(length=300), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_replicas'))
    )
    op.create_table('search_log_horizon',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pruned_below', sa.BigInteger(), nullable=False),
    sa.Column('pruned_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_log_horizon'))
    )


def downgrade():
    op.drop_table('search_log_horizon')
    op.drop_table('search_replicas')
    with op.batch_alter_table('search_changes', schema=None) as batch_op:
        batch_op.drop_index('ix_search_changes_xid_id')
        batch_op.drop_column('xid')
