"""One check of what a client sends: a new submission, or information added to one."""

import io

from statex import accounts, intake, submissions
from statex.uploads import Draft, Limits, Upload
from tests import samples


def _upload(field, name, data):
    return Upload(field, name, io.BytesIO(data))


def test_a_new_submission_is_checked_files_first_so_a_voice_recording_stands_for_the_description():
    checked = intake.check_new({"description": ""}, [_upload("voice", "v.wav", samples.silence_wav(2))], Limits())
    assert checked.ok and checked.draft.description == "" and [f.kind for f in checked.files] == ["voice"]
    refused = intake.check_new({"description": ""}, [], Limits())
    assert not refused.ok and list(refused.errors) == ["description"]


def test_every_bad_field_and_file_is_named_at_once_and_unknown_fields_only_when_strict():
    data = {"description": "x" * 11, "language": "xx", "colour": "red"}
    files = [_upload("files", "empty.txt", b"")]
    lenient = intake.check_new(data, files, Limits(max_text_chars=10))
    assert set(lenient.errors) == {"description", "language", "files"}
    strict = intake.check_new(data, files, Limits(max_text_chars=10), strict=True)
    assert set(strict.errors) == {"description", "language", "files", "colour"}
    assert strict.errors["colour"] == ["Unknown field; send only description, title, language, category, "
                                       "contact_channel, contact."]


def test_added_information_is_checked_against_what_the_submission_leaves(db):
    owner = accounts.create_user(db, "intake@example.com", None)
    submission = submissions.create(db, owner, "x" * 8, process=False)
    limits = Limits(max_text_chars=10, max_files=1)
    over = intake.check_addition(submission, "abc", [], limits, audio_seconds=0)
    assert over.errors["text"] == ["Your text has 3 characters, 1 over the limit of 2. Shorten it, or attach "
                                   "the long part as a file (text, Word or PDF)."]
    assert intake.check_addition(submission, " \r\n", [], limits, 0).errors == {
        "text": ["Write something or attach a file to add."]}
    fits = intake.check_addition(submission, "a\r\nb", [], Limits(max_text_chars=11), 0)
    assert fits.ok and fits.draft == Draft(description="a\nb")


def test_what_is_left_counts_the_files_and_audio_already_there(db):
    owner = accounts.create_user(db, "left@example.com", None)
    submission = submissions.create(db, owner, "Read our invoices.", process=False)
    left = intake.remaining(Limits(max_files=3, max_audio_seconds=60), submission, audio_seconds=45.5)
    assert (left.max_files, left.max_audio_seconds) == (3, 14)
