"""`statex site`: build, preview, check and publish the public website."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import click

from cli.site.build import ROOT, BuildError, build, output_dir, serve_command as pelican_serve_command


@click.group("site")
def site_group() -> None:
    """The public website: markdown in content/, theme in themes/statex/."""


@site_group.command("build")
@click.option("--production", is_flag=True,
              help="Use site/publishconf.py: absolute URLs (SITE_URL), fingerprinted assets.")
@click.option("--strict", is_flag=True, help="Fail on any Pelican warning.")
@click.option("--output", type=click.Path(path_type=Path), help="Output folder (default $SITE_OUTPUT_DIR or var/site).")
def build_command(production: bool, strict: bool, output: Path | None) -> None:
    """Build the site with Pelican and index it with Pagefind."""
    if production and not os.environ.get("SITE_URL", "").startswith(("http://", "https://")):
        raise click.ClickException("--production needs SITE_URL, the site's absolute base (e.g. https://statex.cz)")
    output = output or output_dir()
    try:
        log = build(output, production=production, strict=strict)
    except BuildError as error:
        raise click.ClickException(f"site build failed:\n{error}") from error
    click.echo(log.strip())
    click.echo(f"Built the site into {output}")


@site_group.command("serve")
@click.option("--port", default=8001, show_default=True, help="Port of the preview server.")
@click.option("--bind", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--content", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Content folder to preview (default content/).")
def serve(port: int, bind: str, content: Path | None) -> None:
    """Preview the site, rebuilding it whenever content, theme or settings change."""
    output = output_dir()
    click.echo(f"Serving {output} on http://{bind}:{port}/ (Ctrl-C stops)")
    # Pelican serves from child processes of its own: run it in a process group and stop the group.
    command = pelican_serve_command(output, port, bind, content)
    process = subprocess.Popen(command, cwd=ROOT, start_new_session=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)


@site_group.command("check")
@click.option("--content", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Content folder to check (default content/).")
def check_command(content: Path | None) -> None:
    """Fail on broken internal links, missing translations, missing front-matter or images without alt."""
    from cli.site.check import check

    problems = check(content)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        raise click.ClickException(f"{len(problems)} problem(s) found")
    click.echo("Site check passed.")


@site_group.command("publish")
@click.option("--bucket", required=True, help="S3 bucket to publish to.")
@click.option("--prefix", default="", help="Key prefix inside the bucket.")
@click.option("--output", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Built site to upload (default $SITE_OUTPUT_DIR or var/site).")
def publish_command(bucket: str, prefix: str, output: Path | None) -> None:
    """Upload the built site to S3 (S3_ENDPOINT_URL and AWS credentials from the environment)."""
    from cli.site.publish import publish

    output = output or output_dir()
    if not (output / "index.html").exists():
        raise click.ClickException(f"{output} holds no built site; run `statex site build --production` first")
    if (output / "theme" / "css" / "statex.css").exists():
        # A development build has root-relative URLs and unfingerprinted assets cached for a year.
        raise click.ClickException(f"{output} is a development build; run `statex site build --production`")
    report = publish(output, bucket, prefix)
    click.echo(f"Uploaded {report.uploaded}, unchanged {report.unchanged}, deleted {report.deleted}.")
