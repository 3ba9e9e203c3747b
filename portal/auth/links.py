"""Links sent by email: verify the address, sign in without a password, reset the password.

Opening a link (GET) only shows a page; its button (a POST with CSRF) spends the link, so a mail
scanner that follows links cannot use them up or sign anyone in.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for

from portal.auth import bp, lockout, record, start_session
from portal.auth.forms import ConfirmForm, EmailForm, ResetForm
from portal.db import get_db
from portal.dispatch import dispatch_committed_jobs
from portal.limits import by_ip_and_email
from statex import accounts, links, sessions
from statex.messages.notify import notify_user
from statex.models import User
from statex.models.base import utcnow

# purpose → (message event, the page the link opens)
LINKS = {
    "verify_email": ("account.verify_email", "auth.verify_GET"),
    "magic_signin": ("account.magic_signin", "auth.magic_GET"),
    "reset_password": ("account.reset_password", "auth.reset_GET"),
}


def external_url(endpoint: str, **values) -> str:
    """An absolute link into the portal for an email, on the public portal address."""
    path = url_for(endpoint, **values).removeprefix("/portal")
    return current_app.config["STATEX"].portal_url + path


def send_link(user: User, purpose: str) -> None:
    """Issue a link and queue its email, in the request's transaction (the caller commits)."""
    event, endpoint = LINKS[purpose]
    # The job and the delivery carry a placeholder; the secret is filled in as the email is sent.
    link, _secret = links.issue(get_db(), user, purpose, current_app.config["STATEX"].secret_key)
    notify_user(get_db(), user, event, key=f"{purpose}:{link.id}",
                link=external_url(endpoint, token=links.placeholder(link)),
                expires=f"{link.expires_at:%d %b %Y %H:%M} UTC")


def _invalid():
    return render_template("auth/link_invalid.html"), 404


def _mark_verified(user: User) -> None:
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        record("email.verified", user)


@bp.get("/verify/<token>")
def verify_GET(token: str):
    link = links.find(get_db(), "verify_email", token)
    if link is None:
        return _invalid()
    return render_template("auth/verify.html", form=ConfirmForm(), email=link.email)


@bp.post("/verify/<token>")
def verify_POST(token: str):
    if not ConfirmForm().validate():
        return _invalid()
    db = get_db()
    link = links.use(db, "verify_email", token)
    if link is None:
        return _invalid()
    _mark_verified(link.user)
    db.commit()
    flash(f"Thank you: {link.email} is confirmed.", "success")
    return redirect(url_for("account.index"))


def _request_link(purpose: str, template: str, sent_message: str):
    """Send a link to the address if it has an account; answer the same either way."""
    form = EmailForm()
    if not form.validate():
        return render_template(template, form=form), 422
    db = get_db()
    user = accounts.find_user(db, form.email.data)
    if user is not None and user.is_active:
        send_link(user, purpose)
        db.commit()
        dispatch_committed_jobs()
    flash(sent_message.format(email=accounts.normalise_email(form.email.data)), "success")
    return render_template(template, form=EmailForm(formdata=None), sent=True)


@bp.get("/login/link")
def magic_request_GET():
    return render_template("auth/magic_request.html", form=EmailForm())


@bp.post("/login/link")
@by_ip_and_email("link_ip", "link_account")
def magic_request_POST():
    return _request_link("magic_signin", "auth/magic_request.html",
                         "If {email} has an account, a sign-in link is on its way. It works once, for 15 minutes.")


@bp.get("/login/link/<token>")
def magic_GET(token: str):
    link = links.find(get_db(), "magic_signin", token)
    if link is None:
        return _invalid()
    return render_template("auth/magic.html", form=ConfirmForm(), email=link.email)


@bp.post("/login/link/<token>")
def magic_POST(token: str):
    if not ConfirmForm().validate():
        return _invalid()
    db = get_db()
    link = links.use(db, "magic_signin", token)
    if link is None:
        return _invalid()
    _mark_verified(link.user)  # the link reached the inbox: the address is theirs
    lockout().clear(link.user.email)
    start_session(link.user)
    record("signin.success", link.user, method="magic_link")
    db.commit()
    return redirect(url_for("submissions.dashboard"))


@bp.get("/password/forgot")
def reset_request_GET():
    return render_template("auth/reset_request.html", form=EmailForm())


@bp.post("/password/forgot")
@by_ip_and_email("link_ip", "link_account")
def reset_request_POST():
    return _request_link("reset_password", "auth/reset_request.html",
                         "If {email} has an account, a link to choose a new password is on its way. It works once, for an hour.")


@bp.get("/password/reset/<token>")
def reset_GET(token: str):
    link = links.find(get_db(), "reset_password", token)
    if link is None:
        return _invalid()
    return render_template("auth/reset.html", form=ResetForm(user=link.user), email=link.email)


@bp.post("/password/reset/<token>")
def reset_POST(token: str):
    db = get_db()
    link = links.find(db, "reset_password", token)
    if link is None:
        return _invalid()
    form = ResetForm(user=link.user)
    if not form.validate():
        return render_template("auth/reset.html", form=form, email=link.email), 422
    links.use(db, "reset_password", token)
    user = link.user
    accounts.change_password(user, form.password.data)
    sessions.end_all(db, user)  # whoever held the old password is signed out
    _mark_verified(user)
    record("password.reset", user)
    notify_user(db, user, "account.password_changed", key=f"password:{link.id}",
                link=external_url("auth.reset_request_GET"))
    db.commit()
    dispatch_committed_jobs()
    lockout().clear(user.email)
    flash("Your password is changed and every other session is signed out. Sign in with the new one.", "success")
    return redirect(url_for("auth.login_GET"))
