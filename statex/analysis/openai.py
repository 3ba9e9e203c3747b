"""Any OpenAI-compatible chat-completions endpoint (OpenAI, Ollama, vLLM, llama.cpp, LM Studio) as analyser."""

from __future__ import annotations

import datetime as dt
import json
import time
from urllib.parse import urlsplit

import httpx
from pydantic import ValidationError

from statex import categories
from statex.analysis import local
from statex.analysis.catalogue import Catalogue
from statex.analysis.schema import AnalysisResult, Findings, Provenance
from statex.analysis.sources import Source, joined

ANSWERS = 2  # the first answer, and one more after telling the model what did not validate
TRIES = 2  # requests per answer while the server is down, slow or overloaded
BACKOFF = 1.0  # seconds before the second try, unless the server says Retry-After (capped at MAX_WAIT)
MAX_WAIT = 10.0
TRANSIENT = {408, 409, 425, 429, 500, 502, 503, 504}
RULES = """You analyse requests that clients send to Statex, a company that builds applied-AI solutions.
Answer with one JSON object and nothing else. It must validate against this JSON Schema:
{schema}

Rules:
- The request comes in parts (its sources), each headed "[source: <label>; given <time>]": the client's
  description, texts added later, and what was read from each file or voice recording.
- summary: a few sentences about the whole request (the description and every file), in the request's
  language: what is asked and what came with it, then its main points. Never paste a file's text or labels.
- language: the ISO 639-1 code of the request's language{hint}.
- requirements: what the client needs, one item each, in the request's language, from every source.
- facts: only what the request states, null where it says nothing. Budget currency as an ISO 4217 code.
  Deadline date as YYYY-MM-DD, resolved against today ({today}); keep the original phrase in "text".
  Where sources state different budgets or deadlines, facts hold the one given last.
- conflicts: one item per fact the sources state differently (field "budget" or "deadline"): every value
  with its phrase as written, the source's label and its given time exactly as headed, "latest" the index
  of the value given last, and a note in the request's language saying which one you used. [] if none.
- recommended_services: up to three services from this catalogue, best first, with slug, title and url
  exactly as listed, and a score from 0 to 1:
{services}
- category: the category key of the best service, one of {categories}; category_confidence from 0 to 1.
- keywords: up to eight key phrases of the request; no file names, source labels or currency codes.
- next_steps: two to four concrete next steps for the client, in the request's language."""


class Unavailable(Exception):
    """The endpoint gave no answer: down, too slow, overloaded or refusing the request."""


def analyse(sources: list[Source], settings, catalogue: Catalogue, language_hint: str | None = None,
            today: dt.date | None = None) -> AnalysisResult:
    """The model's analysis of the request's sources, validated; the local analyser's, saying why, if it fails."""
    started = time.perf_counter()
    durations: dict[str, float] = {}
    messages = _messages(sources, catalogue, language_hint, today or dt.date.today())
    # Texts a machine was unsure of, as the local analyser says.
    notes: list[str] = [s.caveat for s in sources if s.caveat]
    where = f"{settings.llm_model} at {_host(settings.llm_base_url)}"
    with httpx.Client(timeout=settings.llm_timeout, headers=_headers(settings)) as client:
        for answer in range(1, ANSWERS + 1):
            asked = time.perf_counter()
            try:
                content, model = _complete(client, settings, messages)
            except Unavailable as error:
                durations[f"request_{answer}"] = _ms(asked)
                note = f"The language model ({where}) could not be used: {error}. The local analyser was used."
                return _fallback(sources, settings, catalogue, language_hint, today, durations, note)
            durations[f"request_{answer}"] = _ms(asked)
            try:
                findings = Findings.model_validate_json(_unfenced(content))
            except ValidationError as error:
                problems = _problems(error)
                messages += [{"role": "assistant", "content": content},
                             {"role": "user", "content": f"That answer does not match the schema: {problems}. "
                                                         "Answer again with the corrected JSON object only."}]
                notes.append(f"The model's answer did not match the schema ({problems}); it was asked again.")
                continue
            durations["total"] = _ms(started)
            return _result(findings, catalogue, notes, model or settings.llm_model, durations)
    note = (f"The language model's answer ({where}) did not match the schema after {ANSWERS} attempts; "
            "the local analyser was used.")
    return _fallback(sources, settings, catalogue, language_hint, today, durations, note)


def _messages(sources: list[Source], catalogue: Catalogue, language_hint: str | None,
              today: dt.date) -> list[dict]:
    """The system prompt (schema, rules, our catalogue) and the request's sources as the user's message."""
    language = local.detect_language(joined(sources), language_hint)
    services = "\n".join(f"  - slug {s.slug!r}, title {s.title!r}, url {s.url!r}, "
                         f"category {categories.key_for(s.category) or s.category!r}: "
                         f"{s.summary}" for s in catalogue.in_language(language)) or "  (the catalogue is empty)"
    hint = f"; the client's portal language is {language_hint!r}" if language_hint else ""
    system = RULES.format(schema=json.dumps(Findings.model_json_schema()), hint=hint, today=today.isoformat(),
                          services=services, categories=", ".join(categories.KEYS))
    return [{"role": "system", "content": system}, {"role": "user", "content": _parts(sources, language)}]


def _parts(sources: list[Source], language: str) -> str:
    """Each source under a heading with its label and when it was given; one description goes as it is."""
    if len(sources) == 1 and sources[0].kind == "description" and sources[0].given_at is None:
        return sources[0].text
    return "\n\n".join(f"[source: {s.label(language)}; given {s.given_at.isoformat() if s.given_at else 'unknown'}]"
                        f"{' (' + s.caveat + ')' if s.caveat else ''}\n{s.text}" for s in sources)


def _headers(settings) -> dict:
    return {"Authorization": f"Bearer {settings.llm_api_key}"} if settings.llm_api_key else {}


def _complete(client: httpx.Client, settings, messages: list[dict]) -> tuple[str, str | None]:
    """The content of one chat completion and the model that wrote it; retries once on a transient failure."""
    body = {"model": settings.llm_model, "messages": messages, "temperature": 0,
            "response_format": {"type": "json_object"}}
    attempt = 1
    while True:
        wait = BACKOFF
        try:
            response = client.post(f"{settings.llm_base_url}/chat/completions", json=body)
        except httpx.TimeoutException:
            problem = f"no answer within {settings.llm_timeout:g} s"
        except httpx.TransportError as error:
            problem = f"the server could not be reached ({error.__class__.__name__}: {error})"
        else:
            if response.is_success:
                return _content(response)
            problem = f"the server answered HTTP {response.status_code}: {_error_message(response)}"
            if response.status_code not in TRANSIENT:
                raise Unavailable(problem)
            wait = _retry_after(response) or BACKOFF
        if attempt == TRIES:
            raise Unavailable(f"{problem} (tried {TRIES} times)")
        attempt += 1
        time.sleep(min(wait, MAX_WAIT))


def _content(response: httpx.Response) -> tuple[str, str | None]:
    try:
        body = response.json()
        return body["choices"][0]["message"]["content"] or "", body.get("model")
    except (ValueError, LookupError, TypeError, AttributeError):
        raise Unavailable("the server's response is not a chat completion") from None


def _error_message(response: httpx.Response) -> str:
    """The error the server explains itself with, short."""
    try:
        message = response.json()["error"]["message"]
    except (ValueError, LookupError, TypeError):
        message = response.text
    return " ".join(str(message).split())[:200] or response.reason_phrase


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    return float(value) if value.replace(".", "", 1).isdigit() else None


def _unfenced(content: str) -> str:
    """The JSON inside a markdown code fence, which some local models add despite being asked not to."""
    stripped = content.strip()
    if stripped.startswith("```"):
        stripped = stripped.split("\n", 1)[-1].rsplit("```", 1)[0]
    return stripped


def _problems(error: ValidationError) -> str:
    """The validation errors in a line the model (and a person) can act on."""
    return "; ".join(f"{'.'.join(map(str, e['loc'])) or 'answer'}: {e['msg']}" for e in error.errors()[:8])


def _result(findings: Findings, catalogue: Catalogue, notes: list[str], model: str | None,
            durations: dict[str, float]) -> AnalysisResult:
    """The model's findings with recommended services checked against, and linked to, our own catalogue."""
    known = {s.slug: s for s in catalogue.in_language(findings.language)}
    by_url = {s.url: s for s in known.values()}
    kept, unknown = [], []
    for recommended in findings.recommended_services:
        service = known.get(recommended.slug) or by_url.get(recommended.url)
        if service is None:
            unknown.append(recommended.slug or recommended.title)
        elif service.slug not in {k.slug for k in kept}:
            kept.append(recommended.model_copy(update={"slug": service.slug, "title": service.title,
                                                       "url": service.url}))
    if unknown:
        notes.append("The model recommended services that are not in our catalogue; they were left out: "
                     + ", ".join(unknown) + ".")
    data = findings.model_dump() | {"recommended_services": [k.model_dump() for k in kept]}
    return AnalysisResult(**data, notes=notes,
                          provenance=Provenance(provider="openai", model=model, durations_ms=durations))


def _fallback(sources, settings, catalogue, language_hint, today, durations, note) -> AnalysisResult:
    """The local analyser's result, saying why and keeping the time the model's attempts took."""
    result = local.analyse_sources(sources, catalogue, language_hint, today, cache_dir=settings.cache_dir)
    result.notes.insert(0, note)
    result.provenance.durations_ms = {f"openai.{k}": v for k, v in durations.items()} | result.provenance.durations_ms
    return result


def _host(url: str) -> str:
    """host:port of the endpoint, never the credentials a URL may carry."""
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port}" if parts.port else str(parts.hostname)


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 1)
