"""Each vocabulary once: the tables other modules import, and what must hold between them."""

from pathlib import Path

from statex import i18n, uploads, vocabulary
from statex.messages import compose, preferences

TEMPLATES = Path(compose.__file__).parent / "templates"


def test_every_event_a_client_hears_of_has_a_topic_they_can_choose_and_a_message():
    assert set(vocabulary.EVENT_TOPICS.values()) <= set(preferences.CHOOSABLE)
    for kind in vocabulary.EVENT_TOPICS:
        assert (TEMPLATES / kind / "subject.txt").exists(), kind


def test_every_event_staff_hear_of_has_its_message_and_a_staff_page():
    for kind, (template, path) in vocabulary.STAFF_EVENTS.items():
        assert (TEMPLATES / template / "subject.txt").exists(), kind
        assert path.startswith("/staff/") and "{id}" in path


def test_recording_any_event_someone_hears_of_schedules_its_notification():
    assert {"submission.created", "submission.completed", "submission.failed", "review.requested",
            "review.rejected", "message.from_staff", "message.from_client", "offer.sent", "offer.accepted",
            "offer.declined"} == vocabulary.NOTIFYING


def test_messages_are_written_in_languages_requests_may_be_in():
    assert set(i18n.LANGUAGES) <= set(vocabulary.LANGUAGES)
    assert {code: vocabulary.LANGUAGES[code].native for code in ("en", "cs")} == i18n.LANGUAGES


def test_every_document_type_taken_has_words_and_every_stored_type_is_named():
    assert set(uploads.DOCUMENT_TYPES.values()) == set(vocabulary.FILE_TYPES)
    for stored in set(uploads.AUDIO_TYPES.values()):
        assert vocabulary.file_type(stored).startswith("Audio (")


def test_every_status_a_request_can_have_has_its_badge_words():
    from statex.models.submissions import STATUSES

    assert tuple(vocabulary.STATUSES) == STATUSES


def test_each_language_names_itself_and_what_every_tool_calls_it():
    assert list(vocabulary.LANGUAGES) == ["en", "cs", "de", "fr"]
    assert vocabulary.language_name("CS") == "Czech" and vocabulary.language_name("xx") == "xx"
    assert all(len(language.tesseract) == 3 and language.phone_region.isupper()
               for language in vocabulary.LANGUAGES.values())
