"""The portal's language: from the site's link, the account, the browser, else English; the switcher."""

from __future__ import annotations

import re

from statex import i18n
from statex.models import User
from tests.portal.accounts_helpers import login, post

CZECH = {"Accept-Language": "cs-CZ,cs;q=0.9,en;q=0.5"}


def _page(response) -> str:
    return response.get_data(as_text=True)


def _lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', _page(response)).group(1)


def test_a_browser_with_no_preference_reads_english(client):
    response = client.get("/portal/login")
    assert _lang(response) == "en" and "<h1>Sign in</h1>" in _page(response)


def test_a_czech_browser_reads_czech(client):
    response = client.get("/portal/login", headers=CZECH)
    assert _lang(response) == "cs" and "<h1>Přihlásit se</h1>" in _page(response)


def test_the_sites_link_sets_the_language_for_the_rest_of_the_visit(client):
    assert _lang(client.get("/portal/login?lang=cs")) == "cs"
    assert _lang(client.get("/portal/signup")) == "cs"
    # The English site's link wins over a Czech browser.
    assert _lang(client.get("/portal/signup?lang=en", headers=CZECH)) == "en"
    assert _lang(client.get("/portal/login", headers=CZECH)) == "en"


def test_the_footer_and_the_head_follow_each_pages_language_and_mount_point(client):
    """Both are rendered once and kept (portal.theme.chrome): a page in another language, or served under
    another prefix, must still get its own."""
    english = _page(client.get("/portal/login"))
    czech = _page(client.get("/portal/login", headers=CZECH))
    mounted = _page(client.get("/portal/login", environ_overrides={"SCRIPT_NAME": "/statex"}))
    assert "services/\">Services</a>" in english and "/cs/services/\">Služby</a>" in czech
    assert "/cs/" not in english.split('<footer')[1]
    assert 'href="/portal/theme/css/tokens.css"' in english and 'href="/portal/theme/css/tokens.css"' in czech
    assert 'href="/statex/portal/theme/css/tokens.css"' in mounted and 'src="/statex/portal/static/js/portal.js"' in mounted


def test_an_unknown_language_is_ignored(client):
    assert _lang(client.get("/portal/login?lang=xx")) == "en"


def test_the_switcher_links_to_the_same_page_in_the_other_language(client):
    page = _page(client.get("/portal/login?next=/portal/submissions/new"))
    link = re.search(r'<a class="site-header__link" href="([^"]+)" lang="cs" hreflang="cs">Čeština</a>', page)
    assert link.group(1) == "/portal/login?next=%2Fportal%2Fsubmissions%2Fnew&amp;lang=cs"
    assert "hreflang=\"en\"" not in page  # no link to the language the page is in


def test_a_signed_in_choice_is_kept_on_the_account_and_follows_them(client, app, make_user, db):
    email, _, user_id = make_user(verified=True)
    login(client, email)
    client.get("/portal/account/?lang=cs")
    db.expire_all()
    assert db.get(User, user_id).language == "cs"
    other_browser = app.test_client()
    login(other_browser, email)
    assert _lang(other_browser.get("/portal/account/")) == "cs"


def test_the_language_from_the_site_survives_signing_in(client, make_user):
    email, _, _ = make_user(verified=True)
    client.get("/portal/login?lang=cs")
    login(client, email)
    assert _lang(client.get("/portal/account/")) == "cs"


def test_code_outside_a_request_translates_for_the_recipient():
    with i18n.translate("cs-CZ") as language:
        assert language == "cs" and i18n.gettext("Sign in") == "Přihlásit se"
        assert i18n.current_language() == "cs"
    with i18n.translate("de"):  # a language we do not speak: English
        assert i18n.gettext("Sign in") == "Sign in"
    assert i18n.gettext("Sign in") == "Sign in"


def test_lazy_words_are_read_in_the_language_active_when_shown():
    word = i18n.lazy_gettext("Sign in")
    with i18n.translate("cs"):
        assert str(word) == "Přihlásit se"
    assert str(word) == "Sign in"


def test_the_account_page_keeps_a_language_and_a_time_zone(client, make_user, db):
    email, _, user_id = make_user(verified=True)
    login(client, email)
    page = _page(client.get("/portal/account/"))
    # The company's zone until the person picks theirs.
    assert re.search(r'<option selected value="Europe/Prague">|<option value="Europe/Prague" selected>', page)
    response = post(client, "/portal/account/preferences", {"language": "cs", "timezone": "America/New_York"},
                    page="/portal/account/")
    assert response.status_code == 303
    db.expire_all()
    user = db.get(User, user_id)
    assert (user.language, user.timezone) == ("cs", "America/New_York")
    assert "Jazyk a časové pásmo jsou uložené." in _page(client.get("/portal/account/"))


def test_an_unknown_time_zone_is_a_form_error_not_a_500(client, make_user):
    email, _, _ = make_user(verified=True)
    login(client, email)
    response = post(client, "/portal/account/preferences", {"language": "", "timezone": "Mars/Olympus"},
                    page="/portal/account/")
    assert response.status_code == 422 and 'id="preferences-timezone-error"' in _page(response)


def test_times_are_shown_in_the_readers_language(client, make_user):
    email, _, _ = make_user(verified=True)
    login(client, email)
    # The account page lists this browser's session: its start in the reader's zone and language.
    english = _page(client.get("/portal/account/"))
    assert re.search(r"since <time datetime=\"[^\"]+\">\w{3} \d{1,2}, 2026, \d{1,2}:\d\d:\d\d\s[AP]M</time>", english)
    czech = _page(client.get("/portal/account/?lang=cs"))
    assert re.search(r"od <time datetime=\"[^\"]+\">\d{1,2}\. \d{1,2}\. 2026 \d{1,2}:\d\d:\d\d</time>", czech)


def test_api_problems_speak_the_accept_language(client):
    english = client.get("/api/v1/submissions")
    czech = client.get("/api/v1/submissions", headers=CZECH)
    assert english.status_code == czech.status_code == 401
    assert english.json["title"] == "Unauthorized" and czech.json["title"] == "Nepřihlášeno"
    assert czech.json["detail"] == "Pošlete token API jako 'Authorization: Bearer <token>'."


def test_api_field_errors_speak_the_accept_language(client, make_user, make_token):
    email, _, _ = make_user(verified=True)
    token = make_token(email)
    response = client.post("/api/v1/submissions", json={"description": ""},
                           headers={"Authorization": f"Bearer {token}", **CZECH})
    assert response.status_code == 422 and response.json["title"] == "Obsah nelze zpracovat"
    assert response.json["errors"]["description"] == [
        "Popište, co potřebujete. Nebo místo toho nahrajte hlasovou zprávu."]


def test_czech_plurals_take_their_three_forms():
    with i18n.translate("cs"):
        forms = [i18n.ngettext("%(num)d second", "%(num)d seconds", n) for n in (1, 2, 5)]
    assert forms == ["1 sekundu", "2 sekundy", "5 sekund"]


def test_moments_and_words_read_as_flask_babel_gives_them_forced_locale_included(app):
    from datetime import datetime, timezone

    from flask import render_template_string
    from flask_babel import force_locale, format_datetime, gettext

    from portal.i18n import when
    from statex.vocabulary import status_label

    moment = datetime(2026, 12, 2, 5, 4, 3, tzinfo=timezone.utc)
    for headers in ({}, CZECH):
        with app.test_request_context("/portal/", headers=headers):
            for format in ("short", "medium", "long", "d. M. y"):
                assert when(moment, format) == format_datetime(moment, format)
            assert i18n.gettext("Status") == gettext("Status") == render_template_string("{{ _('Status') }}")
    with app.test_request_context("/portal/"):
        assert status_label("completed") == "Results ready"
        with force_locale("cs"):
            assert i18n.gettext("Status") == gettext("Status") == render_template_string("{{ _('Status') }}") != "Status"
            assert status_label("completed") != "Results ready"
        assert render_template_string("{{ _('Status') }}") == "Status"


def test_a_template_writes_a_moment_as_a_time_element_and_words_as_newstyle_gettext(app):
    from datetime import datetime, timezone

    from flask import render_template_string
    from flask_babel import format_datetime

    moment = datetime(2026, 12, 2, 5, 4, 3, tzinfo=timezone.utc)
    for headers in ({}, CZECH):
        with app.test_request_context("/portal/", headers=headers):
            shown = render_template_string("{{ moment | moment }}|{{ nothing | moment }}", moment=moment, nothing=None)
            assert shown == f'<time datetime="2026-12-02T05:04:03+00:00">{format_datetime(moment)}</time>|'
    with app.test_request_context("/portal/"):
        # Jinja's newstyle gettext formats every word, so "%%" reads "%" with or without variables.
        assert render_template_string("{{ _('100%% sure') }}|{{ _('%(n)d%% sure', n=5) }}") == "100% sure|5% sure"
        assert render_template_string("{{ _('<b>%(name)s</b>', name='<i>') }}") == "<b>&lt;i&gt;</b>"


def test_the_same_moment_reads_in_each_readers_zone(client, make_user, db):
    from statex.accounts import find_user

    email, _, _ = make_user(verified=True)
    login(client, email)
    shown = []
    for zone in ("Europe/Prague", "America/New_York", "Europe/Prague"):
        find_user(db, email).timezone = zone
        db.commit()
        page = _page(client.get("/portal/account/"))
        shown.append(re.search(r"since <time datetime=\"[^\"]+\">([^<]+)</time>", page).group(1))
    assert shown[0] == shown[2] != shown[1]
