"""CHECK constraints on every stored status, role, kind and action

Revision ID: 0005_status_checks
Revises: 0004_search_replicas
Create Date: 2026-12-03 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_status_checks'
down_revision = '0004_search_replicas'
branch_labels = None
depends_on = None

# The values as of this revision, written out rather than imported: a migration describes the
# schema at one point in time, and the enums in referrals/statuses.py may grow later (a later
# migration widens a check). tests/test_migrations.py checks these match the models.
ROLES = ('recruiter', 'candidate', 'client')
CHECKS = {
    'users': {'role': ROLES},
    'people': {'role': ROLES, 'visibility': ('recruiters', 'connections', 'private')},
    'relationships': {'status': ('pending', 'accepted', 'declined')},
    'interactions': {
        'kind': ('check_in', 'call', 'meeting', 'message', 'event', 'advice', 'market_insight',
                 'introduction', 'referral', 'hire', 'favour', 'ask'),
        'giver': ('a', 'b', 'mutual'),
        'status': ('pending', 'confirmed', 'disputed'),
    },
    'audit_events': {
        'action': ('logged', 'edited', 'confirmed', 'disputed', 'removed', 'merged', 'claimed'),
    },
    'openings': {'status': ('open', 'closed')},
    'opening_decisions': {
        'action': ('shortlisted', 'dismissed', 'awaiting_consent', 'consent_declined',
                   'recommended'),
    },
}


def _condition(column, values):
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


def upgrade():
    # On SQLite a batch operation copies each table; env.py turns foreign keys off for it and
    # checks them all before committing. A row holding a value outside a check makes the
    # upgrade fail and roll back, naming the constraint: such a row is a bug to look at.
    for table, columns in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, values in columns.items():
                batch_op.create_check_constraint(op.f(f'ck_{table}_{column}'),
                                                 sa.text(_condition(column, values)))


def downgrade():
    for table, columns in reversed(CHECKS.items()):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.drop_constraint(op.f(f'ck_{table}_{column}'), type_='check')
