"""notifications: destinations, per-topic settings, in-app notifications, delivery retries

Revision ID: 0003_notifications
Revises: 0001
Create Date: 2026-11-25 19:40:00
"""
from alembic import op
import sqlalchemy as sa
import statex.models.base
from sqlalchemy.dialects import postgresql

revision = '0003_notifications'
down_revision = '0001'
branch_labels = None
depends_on = None

UTC = statex.models.base.UTCDateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade() -> None:
    op.create_table('notification_destinations',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('label', sa.String(length=255), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=True),
    sa.Column('code_sent_at', UTC, nullable=True),
    sa.Column('code_attempts', sa.Integer(), nullable=False),
    sa.Column('verified_at', UTC, nullable=True),
    sa.Column('created_at', UTC, nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_destinations_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_destinations')),
    sa.UniqueConstraint('user_id', 'channel', 'address', name='uq_notification_destinations_user_channel_address')
    )
    op.create_index(op.f('ix_notification_destinations_user_id'), 'notification_destinations', ['user_id'])

    op.create_table('notification_settings',
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('topics', JSON, nullable=False),
    sa.Column('updated_at', UTC, nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_settings_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_notification_settings'))
    )

    op.create_table('notifications',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('event', sa.String(length=64), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('link', sa.Text(), nullable=False),
    sa.Column('created_at', UTC, nullable=False),
    sa.Column('read_at', UTC, nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
    sa.UniqueConstraint('key', name=op.f('uq_notifications_key'))
    )
    op.create_index(op.f('ix_notifications_user_id'), 'notifications', ['user_id'])

    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('destination_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('next_attempt_at', UTC, nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_deliveries_destination_id_notification_destinations'),
                                    'notification_destinations', ['destination_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index(batch_op.f('ix_deliveries_status'), ['status'])


def downgrade() -> None:
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deliveries_status'))
        batch_op.drop_constraint(batch_op.f('fk_deliveries_destination_id_notification_destinations'), type_='foreignkey')
        batch_op.drop_column('next_attempt_at')
        batch_op.drop_column('destination_id')
    op.drop_index(op.f('ix_notifications_user_id'), table_name='notifications')
    op.drop_table('notifications')
    op.drop_table('notification_settings')
    op.drop_index(op.f('ix_notification_destinations_user_id'), table_name='notification_destinations')
    op.drop_table('notification_destinations')
