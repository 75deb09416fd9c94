"""Each side's trust score and band as of a day, so that the dashboard sorts and pages in SQL

Revision ID: 0018_daily_standing
Revises: 0017_replica_pruning
"""
from alembic import op
import sqlalchemy as sa


revision = '0018_daily_standing'
down_revision = '0017_replica_pruning'
branch_labels = None
depends_on = None

COLUMNS = (('standing_on', sa.Date), ('standing_score', sa.Integer),
           ('standing_band', lambda: sa.String(8)))


def upgrade():
    # Left empty: each reader's standings are computed at their first page of the day, or by
    # `flask trust refresh`.
    with op.batch_alter_table('relationships') as batch:
        for side in ('a', 'b'):
            for name, kind in COLUMNS:
                batch.add_column(sa.Column(f'{name}_{side}', kind(), nullable=True))
    # Whose standings are of another day is found from these, without reading the wide rows.
    for side in ('a', 'b'):
        op.create_index(f'ix_relationships_{side}_standing', 'relationships',
                        [f'{side}_id', f'standing_on_{side}'])


def downgrade():
    for side in ('b', 'a'):
        op.drop_index(f'ix_relationships_{side}_standing', table_name='relationships')
    with op.batch_alter_table('relationships') as batch:
        for side in ('b', 'a'):
            for name, _kind in reversed(COLUMNS):
                batch.drop_column(f'{name}_{side}')
