"""Each side's listing index: the dashboard ranks a large network from it alone instead of
reading every relationship row; it replaces the index of standings by day, which it begins with

Revision ID: 0021_side_listing
Revises: 0020_waiting_counts
"""
from alembic import op

revision = '0021_side_listing'
down_revision = '0020_waiting_counts'
branch_labels = None
depends_on = None


def _columns(side):
    # Frozen here as referrals.models.listing_columns gives them at this revision.
    return [f'{side}_id', f'standing_on_{side}', 'status', f'standing_score_{side}',
            f'standing_band_{side}', f'cadence_{side}_days', 'last_contact_on', 'created_at',
            'trust_last_contact', 'id']


def upgrade():
    for side in ('a', 'b'):
        op.create_index(f'ix_relationships_{side}_listing', 'relationships', _columns(side))
        op.drop_index(f'ix_relationships_{side}_standing', table_name='relationships')


def downgrade():
    for side in ('a', 'b'):
        op.create_index(f'ix_relationships_{side}_standing', 'relationships',
                        [f'{side}_id', f'standing_on_{side}'])
        op.drop_index(f'ix_relationships_{side}_listing', table_name='relationships')
