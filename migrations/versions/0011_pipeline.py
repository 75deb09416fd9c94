"""The pipeline of a recommendation: the recruiter's vouch, the client's stages and messages

Revision ID: 0011_pipeline
Revises: 0010_organisations
"""
from alembic import op
import sqlalchemy as sa


revision = '0011_pipeline'
down_revision = '0010_organisations'
branch_labels = None
depends_on = None

# Written out, not imported: the values as of this revision (see 0005_status_checks).
STAGES = "stage IN ('sent', 'interested', 'interview', 'offer', 'hired', 'not_now')"
ACTIONS_BEFORE = ('logged', 'edited', 'confirmed', 'disputed', 'removed', 'merged', 'claimed',
                  'imported', 'import undone', 'person deleted', 'account deleted',
                  'standing applied', 'standing approved', 'standing refused', 'admin granted',
                  'account suspended', 'account restored')
ACTIONS_AFTER = ACTIONS_BEFORE + ('moved a recommendation',)


def _audit_actions(values):
    condition = f"action IN ({', '.join(repr(value) for value in values)})"
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_audit_events_action'), type_='check')
        batch_op.create_check_constraint(op.f('ck_audit_events_action'), sa.text(condition))


def upgrade():
    with op.batch_alter_table('opening_decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('vouch', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('opened_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('consent_answered_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('stage', sa.String(length=16), nullable=False,
                                      server_default='sent'))
        batch_op.add_column(sa.Column('stage_changed_at', sa.DateTime(), nullable=True))
        batch_op.create_check_constraint(op.f('ck_opening_decisions_stage'), sa.text(STAGES))
    op.create_table('pipeline_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('author_user_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=16), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint(STAGES, name=op.f('ck_pipeline_notes_stage')),
    sa.ForeignKeyConstraint(['decision_id'], ['opening_decisions.id'],
                            name=op.f('fk_pipeline_notes_decision_id_opening_decisions')),
    sa.ForeignKeyConstraint(['author_user_id'], ['users.id'],
                            name=op.f('fk_pipeline_notes_author_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pipeline_notes'))
    )
    with op.batch_alter_table('pipeline_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pipeline_notes_decision_id'), ['decision_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_pipeline_notes_author_user_id'),
                              ['author_user_id'], unique=False)
    _audit_actions(ACTIONS_AFTER)


def downgrade():
    op.execute(sa.text("DELETE FROM audit_events WHERE action NOT IN "
                       f"({', '.join(repr(value) for value in ACTIONS_BEFORE)})"))
    _audit_actions(ACTIONS_BEFORE)
    with op.batch_alter_table('pipeline_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pipeline_notes_author_user_id'))
        batch_op.drop_index(batch_op.f('ix_pipeline_notes_decision_id'))
    op.drop_table('pipeline_notes')
    with op.batch_alter_table('opening_decisions', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_opening_decisions_stage'), type_='check')
        batch_op.drop_column('stage_changed_at')
        batch_op.drop_column('stage')
        batch_op.drop_column('consent_answered_at')
        batch_op.drop_column('opened_at')
        batch_op.drop_column('vouch')
