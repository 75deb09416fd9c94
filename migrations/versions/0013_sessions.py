"""Sessions that know when they were last used, on what device; invitations bound to an address

Revision ID: 0013_sessions
Revises: 0012_cvs
"""
from alembic import op
import sqlalchemy as sa


revision = '0013_sessions'
down_revision = '0012_cvs'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_seen_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('remember', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('device', sa.String(length=80), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('network', sa.String(length=64), nullable=False,
                                      server_default=''))
    # Sessions open before this revision count as used when they began: the idle timeout ends
    # those left unused for half a day.
    op.execute("UPDATE user_sessions SET last_seen_at = created_at")
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))
    # Live invitations are bound to the address the record had; one without any cannot be
    # claimed (the recruiter sends a new one once the address is known).
    op.execute("UPDATE invitations SET email = (SELECT lower(people.email) FROM people "
               "WHERE people.id = invitations.person_id)")
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.alter_column('remember', server_default=None)
        batch_op.alter_column('device', server_default=None)
        batch_op.alter_column('network', server_default=None)


def downgrade():
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_column('email')
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_column('network')
        batch_op.drop_column('device')
        batch_op.drop_column('remember')
        batch_op.drop_column('last_seen_at')
