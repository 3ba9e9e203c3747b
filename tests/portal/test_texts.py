"""The domain's messages reach the reader in their language: the API and the form translate them by id."""

import io

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from portal import create_app

TITLE_RULE = ("Keep the title to %(limit)s character or fewer (it has %(length)s).",
              "Keep the title to %(limit)s characters or fewer (it has %(length)s).")
CZECH = ("Název může mít nejvýš %(limit)s znak (má jich %(length)s).",
         "Název může mít nejvýš %(limit)s znaky (má jich %(length)s).",
         "Název může mít nejvýš %(limit)s znaků (má jich %(length)s).")
FILES_RULE = ("Send at most %(limit)s file; you sent %(count)s.", "Send at most %(limit)s files; you sent %(count)s.")
CZECH_FILES = ("Pošlete nejvýš %(limit)s soubor; poslali jste %(count)s.",
               "Pošlete nejvýš %(limit)s soubory; poslali jste %(count)s.",
               "Pošlete nejvýš %(limit)s souborů; poslali jste %(count)s.")


def _czech_app(settings, tmp_path):
    """The portal speaking Czech, with a catalogue that translates two domain messages (one with plural forms)."""
    catalog = Catalog(locale="cs")
    catalog.add(TITLE_RULE, CZECH)
    catalog.add(FILES_RULE, CZECH_FILES)
    folder = tmp_path / "cs" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with open(folder / "messages.mo", "wb") as out:
        write_mo(out, catalog)
    return create_app(test_config={"TESTING": True, "BABEL_DEFAULT_LOCALE": "cs",
                                   "BABEL_TRANSLATION_DIRECTORIES": str(tmp_path)}, settings=settings)


def test_an_api_error_from_the_domain_is_said_in_the_readers_language(settings, tmp_path, make_user, make_token):
    client = _czech_app(settings, tmp_path).test_client()
    headers = {"Authorization": f"Bearer {make_token(make_user()[0])}"}
    response = client.post("/api/v1/submissions", json={"description": "Read invoices.", "title": "x" * 101},
                           headers=headers)
    assert response.status_code == 422
    assert response.get_json()["errors"]["title"] == ["Název může mít nejvýš 100 znaků (má jich 101)."]


def test_without_a_translation_the_english_words_stay(client, make_user, make_token):
    headers = {"Authorization": f"Bearer {make_token(make_user()[0])}"}
    response = client.post("/api/v1/submissions", json={"description": "Read invoices.", "title": "x" * 101},
                           headers=headers)
    assert response.get_json()["errors"]["title"] == ["Keep the title to 100 characters or fewer (it has 101)."]


def test_a_count_in_a_domain_message_takes_the_readers_plural_form(monkeypatch, tmp_path, make_user, make_token):
    from statex.config import load_settings

    monkeypatch.setenv("UPLOAD_MAX_FILES", "2")
    client = _czech_app(load_settings(), tmp_path).test_client()
    headers = {"Authorization": f"Bearer {make_token(make_user()[0])}"}
    files = [(io.BytesIO(b"notes"), f"{n}.txt") for n in range(3)]
    response = client.post("/api/v1/submissions", data={"description": "Read invoices.", "files": files},
                           headers=headers, content_type="multipart/form-data")
    assert response.status_code == 422
    assert response.get_json()["errors"]["files"] == ["Pošlete nejvýš 2 soubory; poslali jste 3."]
