"""Analysers turn a request's text into a structured result: `analyse` picks the configured provider."""

from __future__ import annotations

import datetime as dt

from statex.analysis.schema import AnalysisResult
from statex.analysis.sources import Source

__all__ = ["AnalysisResult", "Source", "analyse", "analyse_request", "catalogue_for", "warm_up"]


def catalogue_for(settings):
    """The service catalogue of the site these settings serve (read once per process, re-read on change)."""
    from statex.analysis import catalogue

    return catalogue.load(settings.content_dir, settings.site_url)


def analyse(text: str, settings, language_hint: str | None = None, today: dt.date | None = None) -> AnalysisResult:
    """Analyse `text`, a request of one source: the client's description."""
    return analyse_request([Source("description", text)], settings, language_hint, today)


def analyse_request(sources: list[Source], settings, language_hint: str | None = None,
                    today: dt.date | None = None) -> AnalysisResult:
    """Analyse a request's sources, in the order given, with the provider settings.analyser names.

    `local`, or `openai` falling back to local.
    """
    if settings.analyser == "openai":
        from statex.analysis import openai

        return openai.analyse(sources, settings, catalogue_for(settings), language_hint, today)
    from statex.analysis import local

    return local.analyse_sources(sources, catalogue_for(settings), language_hint, today,
                                 cache_dir=settings.cache_dir)


def warm_up(settings) -> None:
    """Load the local analyser's models now, e.g. in a worker before it forks, instead of in every job.

    The catalogue's embeddings are encoded here too, once, into the cache folder: the model runs on one
    thread, so a horse forked after this encodes normally (statex.analysis.meaning).
    """
    from statex.analysis import local, matching

    catalogue = catalogue_for(settings)
    local.warm_up(catalogue)
    matching.prepare(catalogue, settings.cache_dir)
