"""A person's own data: everything we hold about them as one zip, and erasing it for good."""

from __future__ import annotations

import json
import tempfile
import zipfile
from typing import IO

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session, selectinload

from statex import audit
from statex.conversation.thread import thread_for
from statex.models import (AuditEvent, Delivery, Destination, Message, Notification, OutboxMessage, Submission,
                           SubmissionFile, User)
from statex.storage import Storage
from statex.submissions import client_result, owned_by


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def _submissions(session: Session, user: User) -> list[Submission]:
    query = owned_by(user).options(selectinload(Submission.events)).order_by(Submission.created_at)
    return list(session.scalars(query))


def _files(submission: Submission) -> list:
    return list(submission.files)


def _thread(session: Session, submission: Submission) -> list[Message]:
    """The thread as its client reads it: staff's notes are not theirs, here either."""
    return thread_for(session, submission, submission.owner)


def _all_files(session: Session, submission: Submission) -> list:
    """Every stored file of the submission, its thread's (notes' too) included: erasing takes them all."""
    return list(session.scalars(select(SubmissionFile).where(SubmissionFile.submission_id == submission.id)))


def summary(session: Session, user: User) -> dict:
    """Everything about `user` as JSON-ready data (files are listed here and added beside it)."""
    return {
        "account": {"id": str(user.id), "email": user.email, "name": user.name, "role": user.role,
                    "created_at": _iso(user.created_at), "email_verified_at": _iso(user.email_verified_at)},
        "api_tokens": [{"name": t.name, "created_at": _iso(t.created_at), "expires_at": _iso(t.expires_at),
                        "last_used_at": _iso(t.last_used_at), "revoked_at": _iso(t.revoked_at)}
                       for t in user.tokens],
        "submissions": [_submission(session, s) for s in _submissions(session, user)],
        "messages": [{"event": d.event, "channel": d.channel, "to": d.recipient, "subject": d.subject,
                      "text": d.body_text, "status": d.status, "sent_at": _iso(d.sent_at)}
                     for d in session.scalars(select(Delivery).where(Delivery.user_id == user.id)
                                              .order_by(Delivery.created_at))],
        "notification_destinations": [{"channel": d.channel, "address": d.address, "label": d.label,
                                       "verified_at": _iso(d.verified_at)}
                                      for d in session.scalars(select(Destination).where(Destination.user_id == user.id))],
        "notifications": [{"title": n.title, "body": n.body, "at": _iso(n.created_at), "read_at": _iso(n.read_at)}
                          for n in session.scalars(select(Notification).where(Notification.user_id == user.id)
                                                   .order_by(Notification.created_at))],
        "audit_log": [{"at": _iso(e.created_at), "action": e.action, "ip": e.ip, "user_agent": e.user_agent,
                       "data": e.data}
                      for e in session.scalars(select(AuditEvent).where(AuditEvent.actor_id == user.id)
                                               .order_by(AuditEvent.id))],
    }


def _submission(session: Session, submission: Submission) -> dict:
    return {
        "id": str(submission.id), "description": submission.description, "language": submission.language,
        "status": submission.status, "created_at": _iso(submission.created_at),
        "completed_at": _iso(submission.completed_at),
        "events": [{"kind": e.kind, "at": _iso(e.created_at), "data": e.data} for e in submission.events],
        "result": client_result(submission),
        "files": [{"name": f.name, "path": _file_path(submission, f), "content_type": f.content_type,
                   "size": f.size, "sha256": f.sha256} for f in _files(submission)],
        "messages": [{"author": m.author_name, "role": m.author_role, "body": m.body, "source": m.source,
                      "at": _iso(m.created_at), "read_at": _iso(m.read_at),
                      "files": [{"name": f.name, "path": _file_path(submission, f), "content_type": f.content_type,
                                 "size": f.size, "sha256": f.sha256} for f in m.files]}
                     for m in _thread(session, submission)],
    }


def _file_path(submission: Submission, file) -> str:
    return f"files/{submission.id}/{file.id}-{file.name}"


def export(session: Session, storage: Storage, user: User) -> IO[bytes]:
    """A zip of `data.json` and every stored file, in a temporary file positioned at its start."""
    data = summary(session, user)
    out = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, indent=2, ensure_ascii=False))
        for submission in _submissions(session, user):
            for file in _files(submission) + [f for m in _thread(session, submission) for f in m.files]:
                with archive.open(_file_path(submission, file), "w") as target:
                    for chunk in storage.open(file.storage_key):
                        target.write(chunk)
    out.seek(0)
    return out


def erase(session: Session, storage: Storage, user: User) -> None:
    """Delete the account, its submissions, files, messages and tokens; pseudonymise its audit trail."""
    for submission in _submissions(session, user):
        for file in _all_files(session, submission):
            storage.delete(file.storage_key)
    deliveries = select(Delivery.id).where(or_(Delivery.user_id == user.id, Delivery.recipient == user.email))
    session.execute(delete(OutboxMessage).where(or_(OutboxMessage.delivery_id.in_(deliveries),
                                                    OutboxMessage.recipient == user.email)))
    session.execute(delete(Delivery).where(or_(Delivery.user_id == user.id, Delivery.recipient == user.email)))
    session.execute(delete(Submission).where(Submission.owner_id == user.id))
    audit.forget(session, user)
    session.delete(user)
    session.flush()
