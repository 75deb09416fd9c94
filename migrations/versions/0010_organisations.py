"""Organisations, their domains and members, applications for standing; site administrators
and suspended accounts; the audit records their decisions

Revision ID: 0010_organisations
Revises: 0009_audit_actions
Create Date: 2026-12-03 12:06:20

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_organisations'
down_revision = '0009_audit_actions'
branch_labels = None
depends_on = None

# Written out, not imported: the values as of this revision (see 0005_status_checks).
BEFORE = ('logged', 'edited', 'confirmed', 'disputed', 'removed', 'merged', 'claimed',
          'imported', 'import undone', 'person deleted', 'account deleted')
AFTER = BEFORE + ('standing applied', 'standing approved', 'standing refused', 'admin granted',
                  'account suspended', 'account restored')


def _replace_actions(values):
    condition = f"action IN ({', '.join(repr(value) for value in values)})"
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_audit_events_action'), type_='check')
        batch_op.create_check_constraint(op.f('ck_audit_events_action'), sa.text(condition))


def upgrade():
    op.create_table('organisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('verified_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("kind IN ('recruiting firm', 'hiring organisation')", name=op.f('ck_organisations_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations'))
    )
    op.create_table('memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('is_admin', sa.Boolean(), nullable=False),
    sa.Column('granted_at', sa.DateTime(), nullable=True),
    sa.Column('granted_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['granted_by_id'], ['users.id'], name=op.f('fk_memberships_granted_by_id_users')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_memberships_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_memberships_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_memberships')),
    sa.UniqueConstraint('user_id', name=op.f('uq_memberships_user_id'))
    )
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_memberships_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('organisation_domains',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('domain', sa.String(length=253), nullable=False),
    sa.Column('verified_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_organisation_domains_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_domains')),
    sa.UniqueConstraint('domain', name=op.f('uq_organisation_domains_domain'))
    )
    with op.batch_alter_table('organisation_domains', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_domains_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('standing_applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'approved', 'refused')", name=op.f('ck_standing_applications_status')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_standing_applications_decided_by_id_users')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_standing_applications_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_standing_applications_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_standing_applications'))
    )
    with op.batch_alter_table('standing_applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_standing_applications_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_standing_applications_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        # Existing accounts are not administrators; recruiters and clients keep their role.
        batch_op.add_column(sa.Column('is_admin', sa.Boolean(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('suspended_at', sa.DateTime(), nullable=True))
    _replace_actions(AFTER)


def downgrade():
    # Rows recording the newer actions would break the narrower check: drop them first.
    op.execute(sa.text("DELETE FROM audit_events WHERE action NOT IN "
                       f"({', '.join(repr(value) for value in BEFORE)})"))
    _replace_actions(BEFORE)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('suspended_at')
        batch_op.drop_column('is_admin')

    with op.batch_alter_table('standing_applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_standing_applications_user_id'))
        batch_op.drop_index(batch_op.f('ix_standing_applications_organisation_id'))

    op.drop_table('standing_applications')
    with op.batch_alter_table('organisation_domains', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_domains_organisation_id'))

    op.drop_table('organisation_domains')
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_memberships_organisation_id'))

    op.drop_table('memberships')
    op.drop_table('organisations')
