"""Sign-up: create the account and send the link that verifies the address; resend that link."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user, login_required

from portal.auth import bp, record
from portal.auth.forms import SignupForm
from portal.auth.links import send_link
from portal.db import get_db
from portal.limits import by_ip_and_email, limiter, limit, user_key
from statex import accounts, emails, links


@bp.get("/signup")
def signup_GET():
    return render_template("auth/signup.html", form=SignupForm())


@bp.post("/signup")
@by_ip_and_email("signup_ip", "link_account")
def signup_POST():
    """Make the account unless the address has one; answer alike, and do alike, either way.

    The password is hashed in both cases and the email is the job's to choose (statex.links.answer):
    a confirmation link for a new account, a note with a sign-in link to an existing one's owner.
    """
    form = SignupForm()
    if not form.validate():
        return render_template("auth/signup.html", form=form), 422
    db, email = get_db(), emails.check(form.email.data)
    password_hash = accounts.hash_password(form.password.data)
    existing = accounts.find_user(db, email)
    if existing is None:
        user = accounts.create_user(db, email, None, name=form.name.data)
        accounts.set_language(user, str(get_locale()))  # what they read signing up, until they choose
        user.password_hash = password_hash
        record("signup", user)
    else:
        record("signup.existing", actor_label=email, target=existing)
    links.ask(db, email, "signup")
    db.commit()
    return render_template("auth/signup_sent.html", email=email)


@bp.post("/verify/resend")
@login_required
@limiter.limit(limit("link_account"), key_func=user_key)
def resend_verification_POST():
    if current_user.is_verified:
        flash(_("Your email address is confirmed already."), "info")
    else:
        send_link(current_user, "verify_email")
        get_db().commit()
        flash(_("We sent a new link to %(email)s.", email=current_user.email), "success")
    return redirect(url_for("account.index"))
