"""The one rule for email addresses, used by sign-up, sign-in, the links, reset and the command line."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from statex.i18n import gettext as _, lazy_gettext as _l

# Special-use names email-validator refuses, which we accept: Statex itself makes admin@statex.local
# on a first `statex up`, and teams run their own mail on .local or .test names. Such an address is
# checked as if its name ended in STAND_IN, a name email-validator takes, so the rest of it (the part
# before the @, every label) meets the library's rules all the same.
ALLOWED_SPECIAL_USE = ("local", "test")
STAND_IN = "example"
ADVICE = _l("Enter an email address like name@example.com")


class InvalidEmail(ValueError):
    """An address we do not accept; the message says why, in words for the person who typed it."""


def check(address: str) -> str:
    """The address as we store it (trimmed, lower case), or InvalidEmail saying what is wrong."""
    address = (address or "").strip()
    local, _at, domain = address.rpartition("@")
    suffix = _allowed_suffix(domain.lower())
    candidate = address if suffix is None else f"{local}@{domain[:-len(suffix)]}{STAND_IN}"
    try:
        valid = validate_email(candidate, check_deliverability=False)
    except EmailNotValidError as error:
        raise InvalidEmail(_("%(advice)s (%(error)s).", advice=ADVICE, error=error)) from None
    name = valid.domain if suffix is None else valid.domain[:-len(STAND_IN)] + suffix
    return f"{valid.local_part}@{name}".lower()


def is_valid(address: str) -> bool:
    try:
        check(address)
    except InvalidEmail:
        return False
    return True


def _allowed_suffix(domain: str) -> str | None:
    """The allowed special-use name `domain` ends in (a whole label), if any."""
    for name in ALLOWED_SPECIAL_USE:
        if domain.endswith("." + name):
            return name
    return None
