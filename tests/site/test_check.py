"""`statex site check` passes on the real content and fails on each kind of editor mistake."""

from __future__ import annotations

from click.testing import CliRunner

from cli.site import site_group
from cli.site.check import check


def test_check_passes_on_the_real_content():
    result = CliRunner().invoke(site_group, ["check"])
    assert result.exit_code == 0, result.output
    assert "Site check passed" in result.output


def test_check_fails_on_a_broken_copy_of_the_content(content_copy):
    about = content_copy / "pages" / "about.md"
    about.write_text(about.read_text() + "\nSee [our old page](/nowhere/) and ![](/images/team.svg).\n")
    (content_copy / "images").mkdir(exist_ok=True)
    (content_copy / "images" / "team.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (content_copy / "pages" / "faq.cs.md").unlink()
    service = content_copy / "services" / "text-analytics.md"
    service.write_text("".join(line for line in service.read_text().splitlines(keepends=True)
                               if not line.startswith("Timeline:")))

    messages = [str(problem) for problem in check(content_copy)]

    assert any("pages/about.md: broken link: /nowhere/" in m or "about/index.html: broken link: /nowhere/" in m
               for m in messages), messages
    assert any("faq" in m and "no cs translation" in m for m in messages), messages
    assert "services/text-analytics.md: missing front-matter field 'timeline'" in messages
    assert any(m.startswith("pages/about.md: image without alt text") for m in messages), messages
    result = CliRunner().invoke(site_group, ["check", "--content", str(content_copy)])
    assert result.exit_code != 0
    assert "problem(s) found" in result.output
