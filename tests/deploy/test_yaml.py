"""Every YAML file of the repository passes yamllint with the repository's .yamllint settings."""

from __future__ import annotations

from yamllint import linter
from yamllint.config import YamlLintConfig

from tests.deploy.conftest import DEPLOY, ROOT


def _yaml_files() -> list:
    config = YamlLintConfig(file=str(ROOT / ".yamllint"))
    candidates = [ROOT / ".yamllint", *ROOT.glob("*.y*ml"), *DEPLOY.rglob("*.y*ml")]
    return [path for path in candidates if not config.is_file_ignored(str(path.relative_to(ROOT)))]


def test_yaml_files_pass_yamllint():
    config = YamlLintConfig(file=str(ROOT / ".yamllint"))
    files = _yaml_files()
    assert len(files) >= 10, "the deployment manifests were not found"
    problems = [f"{path.relative_to(ROOT)}:{problem.line}:{problem.column} {problem.message}"
                for path in files for problem in linter.run(path.read_text(), config, str(path))]
    assert problems == []


def test_yamllint_settings_catch_a_problem():
    """Guards the check above: the settings are in force (a truthy `yes` and a long line fail)."""
    config = YamlLintConfig(file=str(ROOT / ".yamllint"))
    text = "---\nenabled: yes\nlong: " + "x" * 130 + "\n"
    rules = {problem.rule for problem in linter.run(text, config)}
    assert {"truthy", "line-length"} <= rules
