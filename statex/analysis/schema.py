"""The analysis result: one schema for both providers, the job that stores it, the API and the portal."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from statex import categories


class Budget(BaseModel):
    """Money the client mentions: one amount, or a range from `amount` to `amount_max`."""

    amount: float = Field(ge=0, description="The amount, or the lower end of a range.")
    amount_max: float | None = Field(None, ge=0, description="The upper end of a range, if one is given.")
    currency: str | None = Field(None, pattern=r"^[A-Z]{3}$", description="ISO 4217 code, e.g. CZK, EUR, USD.")
    text: str = Field("", description="The phrase as written in the request.")


class Deadline(BaseModel):
    """When the client needs the work, as written and, when it can be resolved, as a date."""

    date: dt.date | None = Field(None, description="The resolved date (YYYY-MM-DD), null if it cannot be resolved.")
    text: str = Field(description="The phrase as written in the request.")


class Contact(BaseModel):
    email: str | None = None
    phone: str | None = Field(None, description="In international format, e.g. +420 603 123 456.")


class Facts(BaseModel):
    """What the request states about the client and the job; null where it says nothing."""

    budget: Budget | None = None
    deadline: Deadline | None = None
    location: str | None = Field(None, description="A city or country named in the request.")
    company: str | None = Field(None, description="The client's company name with its legal form.")
    contact: Contact = Field(default_factory=Contact)


class Statement(BaseModel):
    """One value a source of the request states, with where and when the client gave it."""

    text: str = Field(description="The phrase as written, e.g. \"15,000 EUR\".")
    source: str = Field(description="Where it was written: \"your description\", a file's name, "
                                    "\"your voice recording\", \"what you added on 1 Dec 2026\".")
    given_at: dt.datetime | None = Field(None, description="When the client gave that source (UTC).")


class Conflict(BaseModel):
    """A fact the request's sources state differently: every value, and which one the client stated last."""

    field: Literal["budget", "deadline"]
    values: list[Statement] = Field(min_length=2)
    latest: int = Field(ge=0, description="The index in `values` of the one stated last: the one in `facts`.")
    note: str = Field("", description="The disagreement in a sentence, in the request's language.")

    @model_validator(mode="after")
    def _latest_is_a_value(self):
        if self.latest >= len(self.values):
            raise ValueError(f"latest must index values (0 to {len(self.values) - 1})")
        return self


class RecommendedService(BaseModel):
    slug: str = Field(description="The service's slug in the catalogue.")
    title: str
    url: str = Field(description="The service's page on the public site.")
    score: float = Field(ge=0, le=1, description="How well the service fits the request, 0 to 1: 0.5 is the line "
                                                 "below which nothing would be recommended.")


class Findings(BaseModel):
    """What a provider works out from the text: the part a language model is asked to produce."""

    model_config = ConfigDict(extra="ignore")

    summary: str = Field(description="A few sentences about the whole request (the description and every file), "
                                     "in the request's language.")
    language: str = Field(pattern=r"^[a-z]{2}$", description="ISO 639-1 code of the request's language.")
    category: str | None = Field(None, description="The category of the best-fitting services.")
    category_confidence: float = Field(0.0, ge=0, le=1)
    requirements: list[str] = Field(default_factory=list, description="What the client needs, one per item.")
    facts: Facts = Field(default_factory=Facts)
    keywords: list[str] = Field(default_factory=list, description="Key phrases of the request: no file names, "
                                                                   "labels or currency codes.")
    conflicts: list[Conflict] = Field(default_factory=list, description="Facts the sources state differently "
                                                                        "(two budgets, two deadlines).")
    recommended_services: list[RecommendedService] = Field(default_factory=list)
    no_service_fits: bool = Field(False, description="True when the request asks for work none of our services "
                                                     "covers, so none is recommended.")
    next_steps: list[str] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _nulls_as_empty(cls, data):
        """Models often write null for "nothing" and "EN" for "en": read them as meant, not as errors."""
        if isinstance(data, dict):
            data = {key: value for key, value in data.items() if value is not None or key == "category"}
            if isinstance(data.get("category"), str):
                # Stored by key (statex/categories.py); a model writing the category's words means its key.
                data["category"] = categories.key_for(data["category"])
            if isinstance(data.get("language"), str):
                data["language"] = data["language"].strip().lower()
            if isinstance(data.get("facts"), dict) and data["facts"].get("contact") is None:
                data["facts"] = {**data["facts"], "contact": {}}
        return data


class Provenance(BaseModel):
    provider: Literal["local", "openai"]
    model: str | None = None
    durations_ms: dict[str, float] = Field(default_factory=dict, description="Milliseconds per step.")


class AnalysisResult(Findings):
    """A provider's findings with what the reader should know about how they were made."""

    notes: list[str] = Field(default_factory=list)
    provenance: Provenance
