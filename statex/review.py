"""The review gate: which analysis results wait for staff before the client sees them."""

from __future__ import annotations

from sqlalchemy.orm import Session

from statex import categories
from statex.models.base import utcnow
from statex.models.pipeline import Setting

SETTING = "review"


def policy(session: Session) -> dict:
    """{"all": bool, "categories": [...]}: which results wait for staff before the client sees them."""
    setting = session.get(Setting, SETTING)
    value = setting.value if setting else {}
    # Settings saved before the one vocabulary name categories by the site's words: read them as keys.
    keys = {categories.key_for(name) for name in value.get("categories", [])} - {None}
    return {"all": bool(value.get("all")), "categories": [key for key in categories.KEYS if key in keys]}


def set_policy(session: Session, review_all: bool, chosen: list[str]) -> None:
    """Keep which results wait for review: all, or those in the `chosen` categories (keys)."""
    setting = session.get(Setting, SETTING) or Setting(key=SETTING)
    keys = [key for key in categories.KEYS if key in {categories.key_for(name) for name in chosen}]
    setting.value, setting.updated_at = {"all": review_all, "categories": keys}, utcnow()
    session.add(setting)


def required(session: Session, category: str | None) -> bool:
    """Whether a result in `category` waits for review."""
    chosen = policy(session)
    return chosen["all"] or categories.key_for(category) in chosen["categories"]
