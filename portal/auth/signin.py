"""Sign-in by password (slowed, then locked, after repeated failures) and sign-out."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

from flask import flash, redirect, render_template, url_for
from flask_babel import format_time, gettext as _, ngettext
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
        message = _("That email and password do not match an account.")
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
        wait = ngettext("%(num)d second", "%(num)d seconds", math.ceil(seconds))
    else:
        wait = ngettext("%(num)d minute", "%(num)d minutes", math.ceil(seconds / 60))
    reason = _("This account is locked after too many failed sign-ins.") if locked else _("Too many failed sign-ins.")
    return _("%(reason)s Try again in %(wait)s (at %(time)s), or reset your password.",
             reason=reason, wait=wait, time=format_time(at, "HH:mm:ss zzz"))


@bp.post("/logout")
@login_required
def logout_POST():
    user = current_user._get_current_object()
    record("signout", user)
    end_session()
    get_db().commit()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login_GET"))
