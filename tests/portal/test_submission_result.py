"""The analysis result on a submission's page (portal/templates/submissions/_result.html)."""

from statex import submissions
from statex.analysis import AnalysisResult as ResultSchema
from statex.db import session_scope
from statex.models import AnalysisResult, Submission
from statex.models.base import utcnow

CZECH = ("Dobrý den, jsme Pekárna Novák a syn, s.r.o. z Brna. Každý měsíc dostáváme stovky faktur od "
         "dodavatelů e-mailem a dvě účetní je ručně přepisují do účetního systému. Chceme faktury číst "
         "automaticky. Rozpočet máme kolem 250 000 Kč a potřebujeme to spustit do konce června 2027. "
         "Pište na jana@pekarna-novak.cz nebo volejte 603 123 456.")


def _submission(settings, email, text) -> str:
    with session_scope(settings.database_url) as session:
        from statex import accounts

        return str(submissions.create(session, accounts.find_user(session, email), text).id)


def test_every_field_of_the_result_is_shown(client, auth, make_user, settings, run_jobs):
    email, password, _id = make_user()
    submission_id = _submission(settings, email, CZECH)
    run_jobs()
    auth.login(email, password)
    page = client.get(f"/portal/submissions/{submission_id}").get_data(as_text=True)

    assert 'class="result-summary">Dobrý den' in page
    assert 'class="result-language">Czech<' in page
    assert "Automatizace procesů" in page and "% confidence" in page
    assert "<li>Chceme faktury číst automaticky.</li>" in page
    assert 'class="fact-budget">250,000 CZK<' in page
    assert '<q>do konce června 2027</q>' in page and '<time datetime="2027-06-30">' in page
    assert 'class="fact-location">Brno<' in page and 'class="fact-company">Pekárna Novák a syn s.r.o.<' in page
    assert 'class="fact-email">jana@pekarna-novak.cz<' in page and "+420 603 123 456" in page
    assert f'<a href="{settings.site_url}/cs/services/document-extraction/">Vytěžování dat z dokumentů</a>' in page
    assert 'class="result-steps"><li>Přečtěte si o službě <a href' in page
    assert 'class="provenance-provider">local<' in page and "<td>keywords</td>" in page


def test_the_api_returns_the_same_result_in_the_shared_schema(client, make_user, make_token, settings, run_jobs):
    email, _password, _id = make_user()
    submission_id = _submission(settings, email, CZECH)
    run_jobs()
    response = client.get(f"/api/v1/submissions/{submission_id}",
                          headers={"Authorization": f"Bearer {make_token(email)}"})
    result = ResultSchema.model_validate(response.get_json()["result"])
    assert (result.facts.budget.amount, result.facts.budget.currency) == (250_000, "CZK")
    assert result.recommended_services[0].slug == "document-extraction"


def test_an_older_result_with_fewer_fields_still_shows(client, auth, make_user, settings, db):
    email, password, _id = make_user()
    submission_id = _submission(settings, email, "We want our invoices read automatically.")
    submission = db.get(Submission, submission_id)
    db.add(AnalysisResult(submission=submission, provider="local",
                          data={"summary": "Invoices, read.", "language": "en", "keywords": ["invoices"],
                                "provenance": {"provider": "local", "model": None, "duration_ms": 3.2}}))
    submission.status, submission.completed_at = "completed", utcnow()
    db.commit()
    auth.login(email, password)
    response = client.get(f"/portal/submissions/{submission_id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'class="result-summary">Invoices, read.<' in page and "<li>invoices</li>" in page
    assert 'class="fact-budget">not stated<' in page and "No service in our catalogue fits clearly yet." in page
