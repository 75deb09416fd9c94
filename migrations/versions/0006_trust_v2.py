"""Trust score, second edition: each side's standing, the confirmed standing, recomputed

Revision ID: 0006_trust_v2
Revises: 0005_status_checks
Create Date: 2026-12-03 09:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_trust_v2'
down_revision = '0005_status_checks'
branch_labels = None
depends_on = None

BATCH = 2000
OLD = ['trust_base', 'trust_last_contact', 'trust_last_event', 'trust_first_contact',
       'trust_confirmed', 'trust_given_a', 'trust_given_b', 'trust_balanced']
NEW = ['trust_base_a', 'trust_base_b', 'trust_held_a', 'trust_held_b', 'trust_last_contact',
       'trust_last_confirmed', 'trust_last_event', 'trust_first_contact', 'trust_confirmed',
       'trust_given_a', 'trust_given_b', 'trust_balanced']


def _indexes(columns):
    for side, other in (('a', 'b'), ('b', 'a')):
        op.create_index(f'ix_relationships_{side}_trust', 'relationships',
                        [f'{side}_id', 'status', *columns, f'{other}_id'])


def _drop_indexes():
    for side in ('a', 'b'):
        op.drop_index(f'ix_relationships_{side}_trust', table_name='relationships')


def upgrade():
    _drop_indexes()
    # RENAME COLUMN in place (SQLite 3.25+ and PostgreSQL): a batch copy of the table would have
    # to drop `relationships`, which the interactions' foreign keys forbid.
    op.execute('ALTER TABLE relationships RENAME COLUMN trust_base TO trust_base_a')
    for name in ('trust_base_b', 'trust_held_a', 'trust_held_b'):
        op.add_column('relationships', sa.Column(name, sa.Float(), nullable=False,
                                                 server_default='0'))
    op.add_column('relationships', sa.Column('trust_last_confirmed', sa.Date(), nullable=True))
    _recompute()
    _indexes(NEW)


def _recompute():
    # Every stored value changes meaning: derive them all again from each stored ledger, with the
    # same function every later write uses, so that old and new rows agree.
    from referrals.trust import score as trust
    from referrals.trust import store as trust_store

    conn = op.get_bind()
    kinds = {'trust_summary': sa.Text, 'trust_base_a': sa.Float, 'trust_base_b': sa.Float,
             'trust_held_a': sa.Float, 'trust_held_b': sa.Float, 'trust_first_contact': sa.Date,
             'trust_last_contact': sa.Date, 'trust_last_confirmed': sa.Date,
             'trust_last_event': sa.Date, 'trust_confirmed': sa.Integer,
             'trust_given_a': sa.Integer, 'trust_given_b': sa.Integer,
             'trust_balanced': sa.Boolean}
    relationships = sa.table(
        'relationships', sa.column('id', sa.Integer), sa.column('trust_ledger', sa.Text),
        *(sa.column(name, kind) for name, kind in kinds.items()))
    ids = conn.execute(sa.select(relationships.c.id).order_by(relationships.c.id)).scalars().all()
    update = (sa.update(relationships).where(relationships.c.id == sa.bindparam('rel_id'))
              .values({name: sa.bindparam(name) for name in kinds}))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        rows = conn.execute(sa.select(relationships.c.id, relationships.c.trust_ledger)
                            .where(relationships.c.id.in_(chunk))).all()
        values = []
        for rel_id, text in rows:
            stored = trust_store.stored_values(trust.Ledger.from_json(text or ''))
            values.append({'rel_id': rel_id, **{name: stored[name] for name in kinds}})
        if values:
            conn.execute(update, values)


def downgrade():
    _drop_indexes()
    for column in ('trust_last_confirmed', 'trust_held_b', 'trust_held_a', 'trust_base_b'):
        op.execute(f'ALTER TABLE relationships DROP COLUMN {column}')
    # The first edition's score was the same from both sides; side a's standing stands in for it
    # until `flask trust recompute` is run with that edition's code.
    op.execute('ALTER TABLE relationships RENAME COLUMN trust_base_a TO trust_base')
    _indexes(OLD)
