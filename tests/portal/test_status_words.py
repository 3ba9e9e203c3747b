"""A request's status badge speaks words, never the stored status name."""

from __future__ import annotations

from statex import vocabulary
from statex.models.submissions import STATUSES


def test_every_status_has_words_for_its_badge():
    assert set(vocabulary.STATUSES) == set(STATUSES)
    assert all("_" not in words and words[0].isupper() for words in vocabulary.STATUSES.values())


def test_the_dashboard_badge_says_received_in_words(client, auth, make_user):
    email, password, _id = make_user()
    auth.login(email, password)
    sent = client.post("/portal/submissions/new", data={"description": "We need our invoices read.",
                                                        "csrf_token": auth.csrf("/portal/submissions/new")})
    assert sent.status_code in (302, 303)
    dashboard = client.get("/portal/").get_data(as_text=True)
    assert '<span class="badge badge--received">Received</span>' in dashboard
