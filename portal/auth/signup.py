"""Sign-up: create the account, sign in, and send the link that verifies the address."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from portal.auth import bp, record, start_session
from portal.auth.forms import SignupForm
from portal.auth.links import send_link
from portal.db import get_db
from portal.dispatch import dispatch_committed_jobs
from portal.limits import by_ip_and_email, limiter, limit, user_key
from statex import accounts


@bp.get("/signup")
def signup_GET():
    return render_template("auth/signup.html", form=SignupForm())


@bp.post("/signup")
@by_ip_and_email("signup_ip", "link_account")
def signup_POST():
    form = SignupForm()
    if not form.validate():
        return render_template("auth/signup.html", form=form), 422
    db = get_db()
    if accounts.find_user(db, form.email.data) is not None:
        form.email.errors.append("An account with this email exists already: sign in instead.")
        return render_template("auth/signup.html", form=form), 422
    user = accounts.create_user(db, form.email.data, form.password.data, name=form.name.data)
    record("signup", user)
    send_link(user, "verify_email")
    start_session(user)
    db.commit()
    dispatch_committed_jobs()
    flash(f"Welcome to Statex. We sent a link to {user.email}: open it to confirm your address.", "success")
    return redirect(url_for("submissions.new_GET"))


@bp.post("/verify/resend")
@login_required
@limiter.limit(limit("link_account"), key_func=user_key)
def resend_verification_POST():
    if current_user.is_verified:
        flash("Your email address is confirmed already.", "info")
    else:
        send_link(current_user, "verify_email")
        get_db().commit()
        dispatch_committed_jobs()
        flash(f"We sent a new link to {current_user.email}.", "success")
    return redirect(url_for("account.index"))
