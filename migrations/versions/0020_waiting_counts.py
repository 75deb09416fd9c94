"""What waits for each side's answer, counted on the relationship, so that the dashboard reads
one row per relationship instead of grouping every pending entry

Revision ID: 0020_waiting_counts
Revises: 0019_employer_keys
"""
from alembic import op
import sqlalchemy as sa


revision = '0020_waiting_counts'
down_revision = '0019_employer_keys'
branch_labels = None
depends_on = None

# Entries the other side logged that neither side has answered (the ledger's unconfirmed ones).
WAITING = ("FROM interactions WHERE interactions.relationship_id = relationships.id "
           "AND interactions.status = 'pending' "
           "AND interactions.logged_by_id = relationships.{other}_id")


def upgrade():
    with op.batch_alter_table('relationships') as batch:
        for side in ('a', 'b'):
            batch.add_column(sa.Column(f'waiting_{side}', sa.Integer(), nullable=False,
                                       server_default='0'))
            batch.add_column(sa.Column(f'waiting_latest_{side}', sa.Date(), nullable=True))
    for side, other in (('a', 'b'), ('b', 'a')):
        where = WAITING.format(other=other)
        op.execute(f"UPDATE relationships SET waiting_{side} = (SELECT count(*) {where}), "
                   f"waiting_latest_{side} = (SELECT max(interactions.occurred_on) {where})")
        # What waits for a side is then read from its index alone.
        op.create_index(f'ix_relationships_{side}_waiting', 'relationships',
                        [f'{side}_id', f'waiting_{side}', f'waiting_latest_{side}',
                         f'{other}_id', 'id'])


def downgrade():
    for side in ('b', 'a'):
        op.drop_index(f'ix_relationships_{side}_waiting', table_name='relationships')
    with op.batch_alter_table('relationships') as batch:
        for side in ('b', 'a'):
            batch.drop_column(f'waiting_latest_{side}')
            batch.drop_column(f'waiting_{side}')
