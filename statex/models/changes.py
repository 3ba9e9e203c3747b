"""A counter per user of changes to what they can see: cached pages are keyed by it."""

from __future__ import annotations

import uuid

from sqlalchemy import BigInteger, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from statex.models.base import Base

# The row bumped by bulk statements, whose owners are not known: it invalidates every user's pages.
EVERYONE = uuid.UUID(int=0)


class ChangeStamp(Base):
    __tablename__ = "change_stamps"

    # Not a foreign key: the EVERYONE row belongs to no user.
    owner_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    stamp: Mapped[int] = mapped_column(BigInteger, default=0)
