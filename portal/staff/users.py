"""User management for admins: list, search, change role, deactivate and reactivate."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from portal.auth import admin_required, record
from portal.db import get_db
from portal.staff import bp
from statex import accounts, vocabulary
from statex.models.users import ROLES

PER_PAGE = 50


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[SelectChoice(r, vocabulary.ROLES[r]) for r in ROLES])


@bp.get("/users")
@admin_required
def users():
    text = request.args.get("q", "")[:200]
    role = request.args.get("role") if request.args.get("role") in ROLES else None
    page = max(request.args.get("page", 1, type=int), 1)
    rows, total = accounts.search(get_db(), text, role, page, PER_PAGE)
    return render_template("staff/users.html", users=rows, total=total, page=page, per_page=PER_PAGE,
                           q=text, role=role, roles=ROLES, role_form=RoleForm, form=FlaskForm())


def _target(user_id: str):
    user = accounts.get_user(get_db(), user_id)
    if user is None:
        abort(404)
    if user.id == current_user.id:
        flash(_("You cannot change your own role or deactivate yourself; ask another admin."), "error")
        return None
    return user


def _back():
    """Back to the list the admin was looking at (its search kept), never elsewhere."""
    target = request.form.get("back", "")
    if not target.startswith("/portal/staff/users"):
        target = url_for("staff.users")
    return redirect(target, code=303)


@bp.post("/users/<user_id>/role")
@admin_required
def user_role_POST(user_id: str):
    user = _target(user_id)
    form = RoleForm()
    if user is not None and not form.validate():
        flash(_("Choose a role among %(roles)s.", roles=", ".join(ROLES)), "error")
    elif user is not None and user.role != form.role.data:
        before = user.role
        accounts.set_role(user, form.role.data)
        record("role.changed", current_user, target=user, before=before, after=user.role)
        get_db().commit()
        flash(_("%(email)s is now %(role)s.", email=user.email, role=vocabulary.role_label(user.role)), "success")
    return _back()


@bp.post("/users/<user_id>/active")
@admin_required
def user_active_POST(user_id: str):
    user = _target(user_id)
    if user is not None:
        db = get_db()
        if user.is_active:
            accounts.deactivate(db, user)
            record("user.deactivated", current_user, target=user)
            flash(_("%(email)s is deactivated: signed out everywhere, tokens stopped.", email=user.email), "success")
        else:
            user.is_active = True
            record("user.reactivated", current_user, target=user)
            flash(_("%(email)s is active again.", email=user.email), "success")
        db.commit()
    return _back()
