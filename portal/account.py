"""The account page: profile, password, API tokens, sessions, and the person's own data."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import available_timezones

from flask import Blueprint, abort, current_app, flash, redirect, render_template, send_file, session, url_for
from flask_babel import force_locale, get_locale, gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from portal.auth import end_session, record, start_session
from portal.auth.forms import PolicyForm, new_password_field
from portal.auth.links import external_url
from portal.db import get_db
from portal.i18n import SESSION_KEY
from statex import accounts, audit, i18n, privacy, sessions
from statex.messages.schedule import notify_user
from statex.models.base import utcnow
from statex.storage import storage_for

bp = Blueprint("account", __name__, url_prefix="/portal/account")

EXPIRY = {"30": _l("In 30 days"), "7": _l("In 7 days"), "90": _l("In 90 days"), "365": _l("In a year"), "": _l("Never")}


# Several forms share the page: explicit ids keep each label tied to its own field.
class ProfileForm(FlaskForm):
    name = StringField(_l("Your name"), id="profile-name", validators=[
        InputRequired(_l("Tell us your name.")), Length(max=120, message=_l("Use at most 120 characters."))])


class PasswordForm(PolicyForm):
    current = PasswordField(_l("Current password"), id="password-current",
                            validators=[InputRequired(_l("Enter your current password."))])
    password = new_password_field(_l("New password"))

    def policy_context(self) -> tuple[str, str]:
        return current_user.email, current_user.name


class TokenForm(FlaskForm):
    name = StringField(_l("Token name"), id="token-name", validators=[
        InputRequired(_l("Name the token after where you use it, e.g. “invoice import”.")),
        Length(max=100, message=_l("Use at most 100 characters."))])
    expires = SelectField(_l("Expires"), id="token-expires", choices=[SelectChoice(v, label) for v, label in EXPIRY.items()], default="30")


class PreferencesForm(FlaskForm):
    language = SelectField(_l("Language"), id="preferences-language")
    timezone = SelectField(_l("Time zone"), id="preferences-timezone")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = [SelectChoice("", _("As my browser asks")),
                                 *(SelectChoice(code, name) for code, name in i18n.LANGUAGES.items())]
        self.timezone.choices = [SelectChoice(zone, zone.replace("_", " ")) for zone in sorted(available_timezones())
                                 if "/" in zone and not zone.startswith(("Etc/", "SystemV/"))]


class DeleteForm(FlaskForm):
    confirm = PasswordField(_l("Your password, to confirm"), id="delete-confirm",
                            validators=[InputRequired(_l("Enter your password to confirm."))])


def _page(status: int = 200, **forms):
    """The account page with fresh forms, except those given (which carry input and errors)."""
    user, db = current_user, get_db()
    context = {"profile_form": ProfileForm(formdata=None, name=user.name), "password_form": PasswordForm(formdata=None),
               "preferences_form": PreferencesForm(formdata=None, language=user.language or "", timezone=user.timezone),
               "token_form": TokenForm(formdata=None), "delete_form": DeleteForm(formdata=None)}
    context.update(forms)
    return render_template("account/index.html", tokens=user.tokens, now=utcnow(),
                           sessions=sessions.live(db, user), **context), status


@bp.get("/")
@login_required
def index():
    return _page()


@bp.post("/profile")
@login_required
def profile_POST():
    form = ProfileForm()
    if not form.validate():
        return _page(422, profile_form=form)
    current_user.name = form.name.data.strip()
    get_db().commit()
    flash(_("Your profile is saved."), "success")
    return redirect(url_for("account.index"), code=303)


@bp.post("/preferences")
@login_required
def preferences_POST():
    form = PreferencesForm()
    if not form.validate():
        return _page(422, preferences_form=form)
    user = current_user._get_current_object()
    accounts.set_language(user, form.language.data or None)
    accounts.set_timezone(user, form.timezone.data)
    session.pop(SESSION_KEY, None)  # the saved choice (or the browser) speaks from now on
    get_db().commit()
    with force_locale(i18n.language_of(user.language or str(get_locale()))):
        flash(_("Your language and time zone are saved."), "success")
    return redirect(url_for("account.index"), code=303)


@bp.post("/password")
@login_required
def password_POST():
    form = PasswordForm()
    if not form.validate():
        return _page(422, password_form=form)
    user, db = current_user._get_current_object(), get_db()
    if user.password_hash and not accounts.check_password(user, form.current.data):
        form.current.errors.append(_("That is not your current password."))
        return _page(422, password_form=form)
    accounts.change_password(user, form.password.data)
    sessions.end_all(db, user)
    start_session(user)  # this browser stays signed in on a new session; every other one is signed out
    record("password.changed", user)
    notify_user(db, user, "account.password_changed", key=f"password:{user.id}:{utcnow().timestamp()}",
                link=external_url("auth.reset_request_GET"))
    db.commit()
    flash(_("Your password is changed; your other sessions are signed out."), "success")
    return redirect(url_for("account.index"), code=303)


@bp.post("/tokens")
@login_required
def tokens_POST():
    form = TokenForm()
    if not form.validate():
        return _page(422, token_form=form)
    if not current_user.is_verified:
        form.name.errors.append(_("Confirm your email address first: open the link we sent you, or send a new one."))
        return _page(422, token_form=form)
    db = get_db()
    expires = utcnow() + timedelta(days=int(form.expires.data)) if form.expires.data else None
    token, plain = accounts.create_token(db, current_user, form.name.data.strip(), expires)
    record("token.created", current_user, token=str(token.id), name=token.name)
    db.commit()
    db.expire(current_user, ["tokens"])
    # The secret is shown in this response only; it is stored as a hash.
    return _page(201, new_token=plain, new_token_name=token.name)


@bp.post("/tokens/<token_id>/revoke")
@login_required
def revoke_POST(token_id: str):
    db = get_db()
    token = accounts.token_of(db, current_user, token_id)
    if token is None:
        abort(404)
    accounts.revoke_token(token)
    record("token.revoked", current_user, token=str(token.id), name=token.name)
    db.commit()
    flash(_("The token “%(name)s” is revoked.", name=token.name), "success")
    return redirect(url_for("account.index"), code=303)


@bp.post("/signout-everywhere")
@login_required
def signout_everywhere_POST():
    user, db = current_user._get_current_object(), get_db()
    count = sessions.end_all(db, user)
    record("signout.everywhere", user, sessions=count)
    end_session()
    db.commit()
    flash(_("You are signed out on every device."), "info")
    return redirect(url_for("auth.login_GET"), code=303)


@bp.post("/export")
@login_required
def export_POST():
    user, db = current_user._get_current_object(), get_db()
    archive = privacy.export(db, storage_for(current_app.config["STATEX"]), user)
    record("account.exported", user)
    db.commit()
    return send_file(archive, mimetype="application/zip", as_attachment=True,
                     download_name=f"statex-data-{utcnow():%Y-%m-%d}.zip")


@bp.post("/delete")
@login_required
def delete_POST():
    form = DeleteForm()
    user, db = current_user._get_current_object(), get_db()
    if form.validate() and not accounts.check_password(user, form.confirm.data):
        form.confirm.errors.append(_("That is not your password."))
    if form.errors:
        return _page(422, delete_form=form)
    label = audit.pseudonym(user.id)
    privacy.erase(db, storage_for(current_app.config["STATEX"]), user)
    audit.record(db, "account.deleted", None, actor_label=label)  # no address: nothing that names them
    end_session()
    db.commit()
    flash(_("Your account and everything in it are deleted."), "info")
    return redirect(url_for("auth.login_GET"), code=303)
