"""The bell, the list of in-app notifications, and where and about what a client hears from us."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from portal import htmx
from portal.db import get_db
from portal.limits import MESSAGE, limiter, user_key
from portal.freshness import conditional
from statex.i18n import LANGUAGES
from statex.messages import channels, destinations, inbox, preferences, services

bp = Blueprint("inbox", __name__, url_prefix="/portal")
_UNSET = object()
# Each code goes to an address someone typed: a few an hour keeps us from spamming a stranger.
CODE_LIMIT = "10 per hour"


def destination_form(service: services.Service, formdata=_UNSET):
    """The form for adding a destination on `service`: its own fields, each with its label and hint."""

    class DestinationForm(FlaskForm):
        pass

    for field in service.fields:
        setattr(DestinationForm, field.name, StringField(field.label, default=field.default, description=field.hint,
                                                         validators=[Length(max=2000, message=_l("Use at most 2,000 characters."))]))
    return DestinationForm() if formdata is _UNSET else DestinationForm(formdata=formdata)


def _service(key: str | None) -> services.Service:
    return services.SERVICES.get(key or "", services.SERVICES[services.DEFAULT])


class VerifyForm(FlaskForm):
    code = StringField(_l("Code"), validators=[InputRequired(_l("Enter the 6-digit code from the message we sent."))])


class PreferencesForm(FlaskForm):
    language = SelectField(_l("Language of our messages"),
                           choices=[SelectChoice("", _l("As my account's language (or my requests')")),
                                    *(SelectChoice(code, name) for code, name in LANGUAGES.items())],
                           default="")
    in_app = BooleanField(_l("Show notifications here in the portal, under the bell"), default=True)


@bp.app_context_processor
def bell_context() -> dict:
    """`unread_notifications()` for the header's bell."""
    return {"unread_notifications": _unread}


def _unread() -> int:
    """The signed-in user's unread count, as read with them (statex.sessions); 0 when signed out."""
    if not current_user.is_authenticated:
        return 0
    counted = current_user.unread_notifications
    return inbox.unread_count(get_db(), current_user) if counted is None else counted


@bp.get("/notifications/bell")
@conditional
def bell():
    """The bell alone, for htmx to refresh the unread count; signed out, htmx's 286 stops the polling."""
    if not current_user.is_authenticated:
        return "", 286, {"Vary": "HX-Request", "Cache-Control": "no-store"}
    return (render_template("notifications/_bell.html", unread=_unread()),
            200, {"Vary": "HX-Request"})


@bp.get("/notifications")
@login_required
def index():
    page = max(request.args.get("page", 1, type=int), 1)
    items = inbox.page_for(get_db(), current_user, page)
    return render_template("notifications/index.html", items=items, page=page, per_page=inbox.PER_PAGE)


@bp.post("/notifications/<notification_id>/read")
@login_required
def read_POST(notification_id: str):
    """Mark one as read; htmx gets the item back, a plain form goes where the notification points."""
    notification = inbox.get_for(get_db(), current_user, notification_id)
    if notification is None:
        abort(404)
    inbox.mark_read(notification)
    get_db().commit()
    if htmx and not request.form.get("open"):
        # The bell listens for this event and counts again at once.
        return (render_template("notifications/_item.html", item=notification), 200,
                {"Vary": "HX-Request", "HX-Trigger": "notifications-changed"})
    return redirect(_portal_path(notification.link) if request.form.get("open") else url_for(".index"), code=303)


@bp.post("/notifications/read-all")
@login_required
def read_all_POST():
    inbox.mark_all_read(get_db(), current_user)
    get_db().commit()
    return redirect(url_for(".index"), code=303)


def _portal_path(link: str) -> str:
    """The portal path of a notification's link; anything else leads back to the list."""
    base = current_app.config["STATEX"].portal_url
    if link.startswith(base + "/"):
        return "/portal" + link.removeprefix(base)
    return url_for(".index")


def _settings_page(status: int = 200, **forms):
    """The notification settings with fresh forms, except those given (carrying input and errors)."""
    db, user = get_db(), current_user
    chosen = preferences.settings_of(db, user)
    service = forms.pop("service", None) or _service(request.args.get("service"))
    context = {
        "service": service, "services": services.SERVICES,
        "destination_form": destination_form(service, formdata=None),
        "preferences_form": PreferencesForm(formdata=None, language=(chosen.language if chosen else "") or "",
                                            in_app=preferences.in_app(chosen)),
        "verify_form": VerifyForm(formdata=None), "verify_errors": {},
    }
    context.update(forms)
    return render_template(
        "notifications/settings.html", destinations=destinations.list_for(db, user),
        verified=preferences.verified_destinations(db, user), topics=preferences.TOPICS,
        choosable=preferences.CHOOSABLE, account_key=preferences.ACCOUNT_EMAIL,
        chosen={t: preferences.chosen_for(db, user, t) for t in preferences.CHOOSABLE}, **context,
    ), status


@bp.get("/account/notifications")
@login_required
def settings():
    return _settings_page()


@bp.post("/account/notifications/destinations")
@login_required
@limiter.limit(CODE_LIMIT, key_func=user_key, error_message=MESSAGE)
def add_destination_POST():
    # `channel` and `address` are what the form sent before it named services; the API of old pages.
    service = _service(request.form.get("service") or request.form.get("channel"))
    form = destination_form(service)
    db, settings = get_db(), current_app.config["STATEX"]
    try:
        if not form.validate():
            raise services.IncompleteService(" ".join(e for errors in form.errors.values() for e in errors))
        address = services.address_of(service, {field.name: form[field.name].data for field in service.fields})
        destination = destinations.add(db, settings, current_user, service.channel, address)
    except (services.IncompleteService, channels.InvalidAddress, destinations.DestinationError) as error:
        form[getattr(error, "field", "") or service.fields[-1].name].errors = [str(error)]
        return _settings_page(422, destination_form=form, service=service)
    db.commit()
    flash(_("We sent a code to %(label)s: enter it below to start using it.", label=destination.label), "success")
    return redirect(url_for(".settings", _anchor=f"destination-{destination.id}"), code=303)


@bp.post("/account/notifications/destinations/<destination_id>/verify")
@login_required
def verify_POST(destination_id: str):
    db, destination = get_db(), _destination(destination_id)
    form = VerifyForm()
    try:
        if not form.validate():
            raise destinations.DestinationError(" ".join(form.code.errors))
        destinations.verify(db, current_app.config["STATEX"], destination, form.code.data)
    except destinations.DestinationError as error:
        db.commit()  # the failed attempt counts
        return _settings_page(422, verify_errors={destination.id: str(error)})
    db.commit()
    flash(_("%(label)s is verified: choose below what we send there.", label=destination.label), "success")
    return redirect(url_for(".settings", _anchor="preferences"), code=303)


@bp.post("/account/notifications/destinations/<destination_id>/code")
@login_required
@limiter.limit(CODE_LIMIT, key_func=user_key, error_message=MESSAGE)
def resend_code_POST(destination_id: str):
    db, destination = get_db(), _destination(destination_id)
    if destination.is_verified:
        return redirect(url_for(".settings"), code=303)
    try:
        destinations.send_code(db, current_app.config["STATEX"], current_user, destination)
    except destinations.DestinationError as error:
        return _settings_page(429, verify_errors={destination.id: str(error)})
    db.commit()
    flash(_("We sent a new code to %(label)s.", label=destination.label), "success")
    return redirect(url_for(".settings", _anchor=f"destination-{destination.id}"), code=303)


@bp.post("/account/notifications/destinations/<destination_id>/delete")
@login_required
def delete_destination_POST(destination_id: str):
    db, destination = get_db(), _destination(destination_id)
    db.delete(destination)
    db.commit()
    flash(_("%(label)s is removed: we send nothing there any more.", label=destination.label), "info")
    return redirect(url_for(".settings"), code=303)


@bp.post("/account/notifications/preferences")
@login_required
def preferences_POST():
    form = PreferencesForm()
    if not form.validate():
        return _settings_page(422, preferences_form=form)
    topics = {topic: request.form.getlist(f"topic-{topic}") for topic in preferences.CHOOSABLE}
    preferences.save(get_db(), current_user, topics, form.language.data or None, bell=form.in_app.data)
    get_db().commit()
    flash(_("Your notification choices are saved."), "success")
    return redirect(url_for(".settings"), code=303)


def _destination(destination_id: str):
    destination = destinations.get_for(get_db(), current_user, destination_id)
    if destination is None:
        abort(404)
    return destination
