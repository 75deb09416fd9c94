"""Import batches and their records; indexes on the columns that point at people

The records say whom each batch added or merged into, for undo. The indexes keep deleting
people fast (the database checks every column that points at a deleted row).

Revision ID: 0008_imports
Revises: 0007_mail
Create Date: 2026-12-03 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_imports'
down_revision = '0007_mail'
branch_labels = None
depends_on = None


# Deleting people (undoing an import, deleting a contact or an account) makes the database
# check every column that points at people: without these indexes each check scans a table.
FK_INDEXES = (("people", "merged_into_id"), ("relationships", "requested_by_id"),
              ("interactions", "logged_by_id"))


def upgrade():
    for table, column in FK_INDEXES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f'ix_{table}_{column}'), [column], unique=False)
    op.create_table('import_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('source', sa.String(length=60), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('staged', sa.Text(), nullable=False),
    sa.Column('added', sa.Integer(), nullable=False),
    sa.Column('merged', sa.Integer(), nullable=False),
    sa.Column('skipped', sa.Integer(), nullable=False),
    sa.Column('refused', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('imported_at', sa.DateTime(), nullable=True),
    sa.Column('undone_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("status IN ('mapping', 'preview', 'imported', 'undone', 'discarded')",
                       name=op.f('ck_import_batches_import_batch_status')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'],
                            name=op.f('fk_import_batches_owner_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batches'))
    )
    with op.batch_alter_table('import_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_batches_owner_id'), ['owner_id'],
                              unique=False)

    op.create_table('import_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=8), nullable=False),
    sa.Column('url', sa.String(length=300), nullable=False),
    sa.Column('before', sa.Text(), nullable=False),
    sa.Column('interaction_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("action IN ('added', 'merged')",
                       name=op.f('ck_import_records_import_record_action')),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'],
                            name=op.f('fk_import_records_batch_id_import_batches')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'],
                            name=op.f('fk_import_records_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_records'))
    )
    with op.batch_alter_table('import_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_records_batch_id'), ['batch_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_import_records_person_id'), ['person_id'],
                              unique=False)


def downgrade():
    for table, column in FK_INDEXES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_{column}'))
    with op.batch_alter_table('import_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_records_person_id'))
        batch_op.drop_index(batch_op.f('ix_import_records_batch_id'))
    op.drop_table('import_records')
    with op.batch_alter_table('import_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_batches_owner_id'))
    op.drop_table('import_batches')
