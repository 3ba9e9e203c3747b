"""The reading session: reads what is committed, without a transaction, and refuses to write."""

import pytest
from sqlalchemy import exc, select

from statex import accounts
from statex.db import reader_factory
from statex.models import User


def test_a_reading_session_reads_what_is_committed_and_refuses_to_write(db, settings):
    accounts.create_user(db, "reader@example.com", "a password long enough")
    db.commit()
    reader = reader_factory(settings.database_url)()
    try:
        user = reader.scalar(select(User).where(User.email == "reader@example.com"))
        assert user.email == "reader@example.com"
        assert reader.connection().connection.dbapi_connection.autocommit  # no BEGIN, no ROLLBACK
        user.name = "Changed"
        with pytest.raises(exc.InvalidRequestError, match="writes nothing"):
            reader.flush()
    finally:
        reader.close()
    assert db.scalar(select(User.name).where(User.email == "reader@example.com")) != "Changed"
