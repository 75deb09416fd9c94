"""Organisations add and remove e-mail domains (audited); accounts that held recruiter or client
standing from before organisations keep their records but wait, as candidates, for approval

Revision ID: 0016_org_domains
Revises: 0015_page_indexes
"""
from alembic import op
import sqlalchemy as sa


revision = '0016_org_domains'
down_revision = '0015_page_indexes'
branch_labels = None
depends_on = None

# Written out, not imported: the values as of this revision (see 0005_status_checks).
ACTIONS_BEFORE = ('logged', 'edited', 'confirmed', 'disputed', 'removed', 'merged', 'claimed',
                  'imported', 'import undone', 'person deleted', 'account deleted',
                  'standing applied', 'standing approved', 'standing refused', 'admin granted',
                  'account suspended', 'account restored', 'moved a recommendation')
ACTIONS_AFTER = ACTIONS_BEFORE + ('domain added', 'domain removed')
FORMER_ROLES = "former_role IN ('recruiter', 'client')"
# Accounts whose recruiter or client role no organisation granted: 0010 let them keep it.
UNGRANTED = ("SELECT id FROM users WHERE role IN ('recruiter', 'client') AND id NOT IN "
             "(SELECT m.user_id FROM memberships m JOIN organisations o "
             "ON o.id = m.organisation_id WHERE o.verified_at IS NOT NULL)")

def _audit_actions(values):
    condition = f"action IN ({', '.join(repr(value) for value in values)})"
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_audit_events_action'), type_='check')
        batch_op.create_check_constraint(op.f('ck_audit_events_action'), sa.text(condition))


def upgrade():
    _audit_actions(ACTIONS_AFTER)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('former_role', sa.String(length=16), nullable=True))
        batch_op.create_check_constraint(op.f('ck_users_former_role'), sa.text(FORMER_ROLES))
    # Their profiles say candidate too, and search re-reads them (the role is a facet).
    op.execute(sa.text("INSERT INTO search_changes (person_id, created_at) SELECT id, "
                       f"CURRENT_TIMESTAMP FROM people WHERE user_id IN ({UNGRANTED})"))
    op.execute(sa.text(f"UPDATE people SET role = 'candidate' WHERE user_id IN ({UNGRANTED})"))
    op.execute(sa.text("UPDATE users SET former_role = role, role = 'candidate' "
                       f"WHERE id IN ({UNGRANTED})"))


def downgrade():
    op.execute(sa.text("UPDATE people SET role = (SELECT u.former_role FROM users u WHERE "
                       "u.id = people.user_id) WHERE user_id IN (SELECT id FROM users WHERE "
                       "former_role IS NOT NULL AND role = 'candidate')"))
    op.execute(sa.text("UPDATE users SET role = former_role WHERE former_role IS NOT NULL "
                       "AND role = 'candidate'"))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_users_former_role'), type_='check')
        batch_op.drop_column('former_role')
    op.execute(sa.text("DELETE FROM audit_events WHERE action NOT IN "
                       f"({', '.join(repr(value) for value in ACTIONS_BEFORE)})"))
    _audit_actions(ACTIONS_BEFORE)
