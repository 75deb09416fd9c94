"""The audit records imports, their undoing and deletions

Revision ID: 0009_audit_actions
Revises: 0008_imports
"""
from alembic import op
import sqlalchemy as sa


revision = '0009_audit_actions'
down_revision = '0008_imports'
branch_labels = None
depends_on = None

# Written out, not imported: the values as of this revision (see 0005_status_checks).
BEFORE = ('logged', 'edited', 'confirmed', 'disputed', 'removed', 'merged', 'claimed')
AFTER = BEFORE + ('imported', 'import undone', 'person deleted', 'account deleted')


def _replace(values):
    condition = f"action IN ({', '.join(repr(value) for value in values)})"
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_audit_events_action'), type_='check')
        batch_op.create_check_constraint(op.f('ck_audit_events_action'), sa.text(condition))


def upgrade():
    _replace(AFTER)


def downgrade():
    # Rows recording the newer actions would break the narrower check: drop them first.
    op.execute(sa.text("DELETE FROM audit_events WHERE action NOT IN "
                       f"({', '.join(repr(value) for value in BEFORE)})"))
    _replace(BEFORE)
