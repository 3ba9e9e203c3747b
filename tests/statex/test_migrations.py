"""Migrations that move data, run on a file of their own (SQLite, the embedded default)."""

import sqlalchemy as sa

from statex import migrate

USER = "INSERT INTO users (id, email, name, role, is_active, created_at) VALUES (:id, 'ann@example.com', 'Ann', " \
       "'client', 1, '2026-11-30 10:00:00')"
SUBMISSION = "INSERT INTO submissions (id, owner_id, description, status, status_message, created_at) " \
             "VALUES (:id, :owner, 'Read our invoices.', 'received', :note, '2026-11-30 10:00:00')"
EVENT = "INSERT INTO submission_events (submission_id, kind, data, created_at) " \
        "VALUES (:submission, :kind, '{}', '2026-11-30 10:00:00')"


def test_requests_sent_back_before_0007_wait_for_the_client_after_it(tmp_path):
    url = f"sqlite:///{tmp_path / 'statex.db'}"
    migrate.upgrade(url, "0006_change_stamps")
    owner, sent_back, fresh = "a" * 32, "b" * 32, "c" * 32
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text(USER), {"id": owner})
        for submission, note, kinds in ((sent_back, "Which ERP?", ["submission.created", "review.rejected"]),
                                        (fresh, "", ["submission.created"])):
            connection.execute(sa.text(SUBMISSION), {"id": submission, "owner": owner, "note": note})
            for kind in kinds:
                connection.execute(sa.text(EVENT), {"submission": submission, "kind": kind})
    migrate.upgrade(url)
    with engine.connect() as connection:
        statuses = dict(connection.execute(sa.text("SELECT id, status FROM submissions")).all())
    engine.dispose()
    assert statuses == {sent_back: "needs_info", fresh: "received"}
