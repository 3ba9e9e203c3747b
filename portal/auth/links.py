"""Links sent by email: verify the address, sign in without a password, reset the password.

Opening a link (GET) only shows a page; its button (a POST with CSRF) spends the link, so a mail
scanner that follows links cannot use them up or sign anyone in.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user

from portal.auth import bp, lockout, record, start_session
from portal.auth.forms import ConfirmForm, EmailForm, ResetForm
from portal.auth.landing import after_signin
from portal.db import get_db
from portal.limits import by_ip_and_email
from statex import accounts, links, sessions
from statex.messages.schedule import notify_user
from statex.models import User
from statex.models.base import utcnow


def external_url(endpoint: str, **values) -> str:
    """An absolute link into the portal for an email, on the public portal address."""
    path = url_for(endpoint, **values).removeprefix("/portal")
    return current_app.config["STATEX"].portal_url + path


def send_link(user: User, purpose: str) -> None:
    """Issue a link and queue its email, in the request's transaction (the caller commits)."""
    settings = current_app.config["STATEX"]
    links.send(get_db(), settings.portal_url, settings.secret_key, user, purpose)


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
    if current_user.is_authenticated:
        flash(_("Thank you: %(email)s is confirmed.", email=link.email), "success")
        return redirect(url_for("account.index"))
    # The link only confirms the address; signing in still takes the password (or a sign-in link).
    flash(_("Thank you: %(email)s is confirmed. Sign in with your password.", email=link.email), "success")
    return redirect(url_for("auth.login_GET"))


def _request_link(purpose: str, template: str, sent_message):
    """Queue the answer for the address, account or not: the same page, the same work, either way."""
    form = EmailForm()
    if not form.validate():
        return render_template(template, form=form), 422
    db = get_db()
    links.ask(db, form.email.data, purpose)
    db.commit()
    flash(str(sent_message) % {"email": accounts.normalise_email(form.email.data)}, "success")
    return render_template(template, form=EmailForm(formdata=None), sent=True)


@bp.get("/login/link")
def magic_request_GET():
    return render_template("auth/magic_request.html", form=EmailForm())


@bp.post("/login/link")
@by_ip_and_email("link_ip", "link_account")
def magic_request_POST():
    return _request_link("magic_signin", "auth/magic_request.html",
                         _l("If %(email)s has an account, a sign-in link is on its way. It works once, for 15 minutes."))


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
    return redirect(after_signin(link.user))


@bp.get("/password/forgot")
def reset_request_GET():
    return render_template("auth/reset_request.html", form=EmailForm())


@bp.post("/password/forgot")
@by_ip_and_email("link_ip", "link_account")
def reset_request_POST():
    return _request_link("reset_password", "auth/reset_request.html",
                         _l("If %(email)s has an account, a link to choose a new password is on its way. "
                            "It works once, for an hour."))


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
    lockout().clear(user.email)
    flash(_("Your password is changed and every other session is signed out. Sign in with the new one."), "success")
    return redirect(url_for("auth.login_GET"))
