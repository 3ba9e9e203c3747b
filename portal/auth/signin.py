"""Sign-in by password (slowed, then locked, after repeated failures) and sign-out."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from portal.auth import bp, end_session, lockout, record, start_session
from portal.auth.forms import LoginForm
from portal.auth.landing import after_signin
from portal.db import get_db
from portal.limits import by_ip_and_email
from statex import accounts


@bp.get("/login")
def login_GET():
    return render_template("auth/login.html", form=LoginForm())


@bp.post("/login")
@by_ip_and_email("signin_ip", "signin_account")
def login_POST():
    form = LoginForm()
    if not form.validate():
        return render_template("auth/login.html", form=form), 422
    db, guard, email = get_db(), lockout(), accounts.normalise_email(form.email.data)
    wait = guard.wait(email)
    if wait > 0:
        record("signin.locked", actor_label=email, target=accounts.find_user(db, email))
        db.commit()
        form.password.errors.append(_try_again(wait, locked=guard.locked(email)))
        return render_template("auth/login.html", form=form), 429, {"Retry-After": str(math.ceil(wait))}
    user = accounts.authenticate(db, email, form.password.data)
    if user is None:
        pause = guard.fail(email)
        record("signin.failure", actor_label=email, target=accounts.find_user(db, email))
        db.commit()
        message = "That email and password do not match an account."
        form.password.errors.append(message + (" " + _try_again(pause, guard.locked(email)) if pause else ""))
        return render_template("auth/login.html", form=form), 422
    guard.clear(email)
    start_session(user)
    record("signin.success", user, method="password")
    db.commit()
    return redirect(after_signin(user))


def _try_again(seconds: float, locked: bool) -> str:
    """When the person may try again, in words and as a time of day."""
    at = datetime.now(timezone.utc) + timedelta(seconds=seconds)
    if seconds < 90:
        wait = f"{math.ceil(seconds)} second{'s' if math.ceil(seconds) != 1 else ''}"
    else:
        wait = f"{math.ceil(seconds / 60)} minutes"
    reason = "This account is locked after too many failed sign-ins." if locked else "Too many failed sign-ins."
    return f"{reason} Try again in {wait} (at {at:%H:%M:%S} UTC), or reset your password."


@bp.post("/logout")
@login_required
def logout_POST():
    user = current_user._get_current_object()
    record("signout", user)
    end_session()
    get_db().commit()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login_GET"))
