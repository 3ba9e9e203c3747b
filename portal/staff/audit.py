"""The audit log for staff, filtered by action, person and time."""

from __future__ import annotations

from datetime import datetime, time, timezone

from flask import render_template, request
from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import DateField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from portal.auth import staff_required
from portal.db import get_db
from portal.staff import bp
from statex.audit import ACTIONS
from statex.models import AuditEvent

PER_PAGE = 100


class AuditFilter(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    action = SelectField(_l("Action"), choices=[SelectChoice("", _l("Any action"))] + [SelectChoice(a) for a in ACTIONS], default="")
    who = StringField(_l("Person (email contains)"),
                      validators=[Optional(), Length(max=200, message=_l("Use at most 200 characters."))])
    since = DateField(_l("From"), validators=[Optional()], format="%Y-%m-%d")
    until = DateField(_l("Until"), validators=[Optional()], format="%Y-%m-%d")

    def validate_until(self, field) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_("Choose a day on or after the “From” day."))


def _query(form: AuditFilter):
    query = select(AuditEvent)
    if form.action.data:
        query = query.where(AuditEvent.action == form.action.data)
    if form.who.data:
        pattern = f"%{form.who.data.strip().lower()}%"
        query = query.where(func.lower(AuditEvent.actor).like(pattern) | func.lower(AuditEvent.target).like(pattern))
    if form.since.data:
        query = query.where(AuditEvent.created_at >= datetime.combine(form.since.data, time.min, timezone.utc))
    if form.until.data:
        query = query.where(AuditEvent.created_at <= datetime.combine(form.until.data, time.max, timezone.utc))
    return query


@bp.get("/audit")
@staff_required
def audit_log():
    form = AuditFilter(request.args)
    page = max(request.args.get("page", 1, type=int), 1)
    if not form.validate():
        return render_template("staff/audit.html", form=form, events=[], total=0, page=1, per_page=PER_PAGE), 422
    query = _query(form)
    db = get_db()
    total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    events = db.scalars(query.order_by(AuditEvent.id.desc()).limit(PER_PAGE).offset((page - 1) * PER_PAGE))
    return render_template("staff/audit.html", form=form, events=list(events), total=total, page=page,
                           per_page=PER_PAGE)
