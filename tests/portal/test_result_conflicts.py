"""Facts a request's sources state differently, on the result page and in the API's documented result."""

import jsonschema

from portal.api.openapi import document
from tests.jobs.test_pipeline import _submit
from tests.jobs.test_whole_request import SHOP
from tests.statex import extraction_samples as samples


def test_two_budgets_show_with_their_sources_and_the_one_stated_last(client, auth, make_user, make_token,
                                                                      run_jobs):
    email, password, _id = make_user()
    headers = {"Authorization": f"Bearer {make_token(email)}"}
    submission_id = _submit(client, headers, description=SHOP, files=[("brief.docx", samples.brief_docx())])
    run_jobs()

    result = client.get(f"/api/v1/submissions/{submission_id}", headers=headers).get_json()["result"]
    documented = document()["components"]["schemas"]["Submission"]["properties"]["result"]
    jsonschema.validate(result, documented)
    assert "conflicts" in next(s for s in documented["anyOf"] if s.get("type") == "object")["properties"]

    auth.login(email, password)
    page = client.get(f"/portal/submissions/{submission_id}").get_data(as_text=True)
    block = page.split('class="result-conflicts"', 1)[1].split("</section>", 1)[0]
    assert "<q>15,000 EUR</q> in your description" in block
    assert '<q>9,000 EUR</q> in brief.docx, given <time datetime="' in block
    assert block.index("(stated last: used above)") > block.index("9,000 EUR")
    assert "The one you gave last is 9,000 EUR (brief.docx)" in block
