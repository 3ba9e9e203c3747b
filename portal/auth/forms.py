"""The account forms; a password field checks the policy in statex.passwords."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField, ValidationError
from wtforms.validators import InputRequired, Length

from statex import emails, passwords


def valid_email(form, field) -> None:
    """The product's one email rule (statex.emails), so every address it makes also signs in."""
    try:
        emails.check(field.data or "")
    except emails.InvalidEmail as error:
        raise ValidationError(str(error)) from None


EMAIL = [InputRequired(_l("Enter your email address.")), Length(max=254, message=_l("Use at most 254 characters.")),
         valid_email]


def new_password_field(label: str = _l("Password")) -> PasswordField:
    return PasswordField(label, validators=[InputRequired(_l("Choose a password."))])


class PolicyForm(FlaskForm):
    """A form with a `password` that must meet the policy; email and name come from the form or user."""

    def policy_context(self) -> tuple[str, str]:
        email = getattr(self, "email", None)
        name = getattr(self, "name", None)
        return (email.data if email else "") or "", (name.data if name else "") or ""

    def validate_password(self, field) -> None:
        email, name = self.policy_context()
        problem = passwords.problem(field.data or "", email, name)
        if problem:
            raise ValidationError(problem)


class SignupForm(PolicyForm):
    name = StringField(_l("Your name"), validators=[InputRequired(_l("Tell us your name.")),
                                                   Length(max=120, message=_l("Use at most 120 characters."))])
    email = EmailField(_l("Email"), validators=EMAIL)
    password = new_password_field()


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=EMAIL)
    password = PasswordField(_l("Password"), validators=[
        InputRequired(_l("Enter your password.")),
        Length(max=passwords.MAX_LENGTH, message=_l("Passwords have at most %(max)d characters.", max=passwords.MAX_LENGTH))])


class EmailForm(FlaskForm):
    """Ask for a link by email (magic sign-in, password reset)."""

    email = EmailField(_l("Email"), validators=EMAIL)


class ConfirmForm(FlaskForm):
    """A button that spends a link: opening the link (a GET) changes nothing."""


class ResetForm(PolicyForm):
    password = new_password_field(_l("New password"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def policy_context(self) -> tuple[str, str]:
        return (self.user.email, self.user.name) if self.user else ("", "")
