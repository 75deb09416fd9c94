"""CVs: one file a person, its bytes under CV_STORAGE_DIR, its facts here

Revision ID: 0012_cvs
Revises: 0011_pipeline
Create Date: 2026-12-03 12:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_cvs'
down_revision = '0011_pipeline'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cvs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=120), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_cvs_person_id_people')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'],
                            name=op.f('fk_cvs_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cvs')),
    sa.UniqueConstraint('person_id', name=op.f('uq_cvs_person_id')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_cvs_stored_name'))
    )
    with op.batch_alter_table('cvs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cvs_uploaded_by_id'), ['uploaded_by_id'],
                              unique=False)


def downgrade():
    # The files under CV_STORAGE_DIR are left for `flask privacy purge` to sweep away.
    with op.batch_alter_table('cvs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cvs_uploaded_by_id'))
    op.drop_table('cvs')
