"""Sign-up, sign-in and sign-out, and the Flask-Login wiring."""

from __future__ import annotations

import uuid
from functools import wraps

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask_login import AnonymousUserMixin, LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import Email, InputRequired, Length

from portal.db import get_db
from statex import accounts
from statex.models import User

bp = Blueprint("auth", __name__, url_prefix="/portal")
login_manager = LoginManager()
login_manager.login_view = "auth.login_GET"
login_manager.login_message = "Please sign in to continue."
login_manager.login_message_category = "info"


class Anonymous(AnonymousUserMixin):
    is_staff = False


login_manager.anonymous_user = Anonymous

MIN_PASSWORD = 12
MAX_PASSWORD = 128


class SignupForm(FlaskForm):
    name = StringField("Your name", validators=[InputRequired(), Length(max=120)])
    email = EmailField("Email", validators=[InputRequired(), Email(check_deliverability=False), Length(max=254)])
    password = PasswordField("Password", validators=[
        InputRequired(), Length(min=MIN_PASSWORD, max=MAX_PASSWORD,
                                message=f"Use {MIN_PASSWORD} to {MAX_PASSWORD} characters.")])


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[InputRequired(), Email(check_deliverability=False)])
    password = PasswordField("Password", validators=[InputRequired(), Length(max=MAX_PASSWORD)])


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    try:
        user = get_db().get(User, uuid.UUID(user_id))
    except ValueError:
        return None
    return user if user is not None and user.is_active else None


@bp.get("/signup")
def signup_GET():
    return render_template("auth/signup.html", form=SignupForm())


@bp.post("/signup")
def signup_POST():
    form = SignupForm()
    if not form.validate():
        return render_template("auth/signup.html", form=form), 422
    db = get_db()
    if accounts.find_user(db, form.email.data) is not None:
        form.email.errors.append("An account with this email exists already: sign in instead.")
        return render_template("auth/signup.html", form=form), 422
    user = accounts.create_user(db, form.email.data, form.password.data, name=form.name.data)
    db.commit()
    login_user(user)
    flash("Welcome to Statex. Tell us what you need.", "success")
    return redirect(url_for("submissions.new_GET"))


@bp.get("/login")
def login_GET():
    return render_template("auth/login.html", form=LoginForm())


@bp.post("/login")
def login_POST():
    form = LoginForm()
    if not form.validate():
        return render_template("auth/login.html", form=form), 422
    db = get_db()
    user = accounts.authenticate(db, form.email.data, form.password.data)
    if user is None:
        form.password.errors.append("That email and password do not match an account.")
        return render_template("auth/login.html", form=form), 422
    db.commit()
    login_user(user)
    return redirect(_safe_next() or url_for("submissions.dashboard"))


@bp.post("/logout")
@login_required
def logout_POST():
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login_GET"))


def _safe_next() -> str | None:
    """Follow `next` only to a path on this site, never to another host."""
    target = request.args.get("next", "")
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


def staff_required(view):
    """Staff pages answer 404 to everyone else, so their existence does not leak."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated or not current_user.is_staff:
            abort(404)
        return view(*args, **kwargs)

    return wrapped


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
