"""Each profile's employer folded as auth.employers compares it, so that who works for an
organisation is an indexed lookup

Revision ID: 0019_employer_keys
Revises: 0018_daily_standing
"""
from alembic import op
import sqlalchemy as sa

# The rule itself, not a copy: the stored keys must be what the app computes on every write.
from auth.employers import stored_keys


revision = '0019_employer_keys'
down_revision = '0018_daily_standing'
branch_labels = None
depends_on = None

COLUMNS = ('employer_key', 'employer_site_key')
BATCH = 5000


def upgrade():
    with op.batch_alter_table('people') as batch:
        for name in COLUMNS:
            batch.add_column(sa.Column(name, sa.String(length=120), nullable=False,
                                       server_default=''))
    for name in COLUMNS:
        op.create_index(op.f(f'ix_people_{name}'), 'people', [name])
    conn = op.get_bind()
    people = sa.table('people', sa.column('id', sa.Integer),
                      sa.column('organisation', sa.String),
                      *(sa.column(name, sa.String) for name in COLUMNS))
    rows = conn.execute(sa.select(people.c.id, people.c.organisation)
                        .where(people.c.organisation != '')).all()
    update = (people.update().where(people.c.id == sa.bindparam('pid'))
              .values(employer_key=sa.bindparam('key'), employer_site_key=sa.bindparam('site')))
    for start in range(0, len(rows), BATCH):
        values = []
        for pid, organisation in rows[start:start + BATCH]:
            key, site = stored_keys(organisation or '')
            values.append({'pid': pid, 'key': key, 'site': site})
        conn.execute(update, values)


def downgrade():
    for name in reversed(COLUMNS):
        op.drop_index(op.f(f'ix_people_{name}'), table_name='people')
    with op.batch_alter_table('people') as batch:
        for name in reversed(COLUMNS):
            batch.drop_column(name)
