"""Trust summary facts for wild cards, and the score and vouching inputs as columns

Revision ID: 0003_trust_columns
Revises: 0002_openings
Create Date: 2026-11-26 10:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_trust_columns'
down_revision = '0002_openings'
branch_labels = None
depends_on = None

BATCH = 2000


def upgrade():
    with op.batch_alter_table('relationships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('trust_base', sa.Float(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('trust_first_contact', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('trust_last_contact', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('trust_last_event', sa.Date(), nullable=True))
        for name in ('trust_confirmed', 'trust_given_a', 'trust_given_b'):
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=False,
                                          server_default='0'))
        batch_op.add_column(sa.Column('trust_balanced', sa.Boolean(), nullable=False,
                                      server_default='0'))
    _restore_summaries()
    trust = ['trust_base', 'trust_last_contact', 'trust_last_event', 'trust_first_contact',
             'trust_confirmed', 'trust_given_a', 'trust_given_b', 'trust_balanced']
    for side, other in (('a', 'b'), ('b', 'a')):
        op.create_index(f'ix_relationships_{side}_trust', 'relationships',
                        [f'{side}_id', 'status', *trust, f'{other}_id'])


def _restore_summaries():
    # The summary gained fields and three copies as columns: derive them all again from each
    # stored ledger, with the same function every later write uses, so old and new rows agree.
    from referrals.trust import score as trust
    from referrals.trust import store as trust_store

    conn = op.get_bind()
    derived = {'trust_summary': sa.Text, 'trust_base': sa.Float, 'trust_first_contact': sa.Date,
               'trust_last_contact': sa.Date, 'trust_last_event': sa.Date,
               'trust_confirmed': sa.Integer, 'trust_given_a': sa.Integer,
               'trust_given_b': sa.Integer, 'trust_balanced': sa.Boolean}
    relationships = sa.table(
        'relationships', sa.column('id', sa.Integer), sa.column('trust_ledger', sa.Text),
        *(sa.column(name, kind) for name, kind in derived.items()))
    ids = conn.execute(sa.select(relationships.c.id).order_by(relationships.c.id)).scalars().all()
    update = (sa.update(relationships).where(relationships.c.id == sa.bindparam('rel_id'))
              .values({name: sa.bindparam(name) for name in derived}))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        rows = conn.execute(sa.select(relationships.c.id, relationships.c.trust_ledger)
                            .where(relationships.c.id.in_(chunk))).all()
        values = []
        for rel_id, text in rows:
            stored = trust_store.stored_values(trust.Ledger.from_json(text or ""))
            # Later code stores each side's standing; this revision's single base is side a's
            # (0006_trust_v2 derives every value again with the code of its day).
            stored.setdefault('trust_base', stored.get('trust_base_a', 0.0))
            values.append({'rel_id': rel_id, **{name: stored[name] for name in derived}})
        if values:
            conn.execute(update, values)


def downgrade():
    for side in ('a', 'b'):
        op.drop_index(f'ix_relationships_{side}_trust', table_name='relationships')
    # A plain DROP COLUMN (SQLite 3.35+ and PostgreSQL): a batch copy of the table would have
    # to drop `relationships`, which the interactions' foreign keys forbid.
    for column in ('trust_balanced', 'trust_given_b', 'trust_given_a', 'trust_confirmed',
                   'trust_last_event', 'trust_last_contact', 'trust_first_contact', 'trust_base'):
        op.execute(f'ALTER TABLE relationships DROP COLUMN {column}')
