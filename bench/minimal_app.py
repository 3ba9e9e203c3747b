"""The portal bench's baseline: a minimal Flask app rendering a list of 50 items from templates, no database.

Served by gunicorn with the same settings as `statex web`:
    gunicorn -k gthread -w 2 --threads 4 'bench.minimal_app:create_app()'
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from flask import Flask, render_template
from jinja2 import DictLoader

ITEMS = 50
STATUSES = ("received", "processing", "in_review", "completed", "failed", "cancelled")
TEMPLATES = {
    "base.html": """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{% block title %}{% endblock %} · Minimal</title>
  <link rel="stylesheet" href="/static/site.css">
</head>
<body>
<header class="site-header"><a href="/">Minimal</a>
  <nav><a href="/">Home</a> <a href="/items">Items</a> <a href="/account">Account</a></nav>
</header>
<main>{% block content %}{% endblock %}</main>
<footer class="site-footer"><p>A baseline for the portal benchmark.</p></footer>
</body>
</html>
""",
    "list.html": """{% extends "base.html" %}
{% block title %}Items{% endblock %}
{% block content %}
<h1>Items</h1>
<p class="results-count">{{ items | length }} items</p>
<ul class="item-list">
  {% for item in items %}
    <li class="card item-list__item">
      <a href="/items/{{ item.id }}">{{ item.title }}</a>
      <span class="badge badge--{{ item.status }}">{{ item.status | replace('_', ' ') }}</span>
      <time datetime="{{ item.created_at.isoformat() }}">{{ item.created_at.strftime('%d %b %Y, %H:%M') }} UTC</time>
    </li>
  {% endfor %}
</ul>
{% endblock %}
""",
}


def create_app() -> Flask:
    """One route, `/`, rendering the same 50 items (made once, held in memory) on every request."""
    app = Flask(__name__)
    app.jinja_loader = DictLoader(TEMPLATES)
    start = datetime(2026, 1, 1, 9, tzinfo=timezone.utc)
    items = [{"id": f"{number:08x}-0000-4000-8000-000000000000", "status": STATUSES[number % len(STATUSES)],
              "title": f"We need our supplier invoices read automatically, request number {number}",
              "created_at": start + timedelta(hours=number)} for number in range(ITEMS)]

    @app.get("/")
    def index():
        return render_template("list.html", items=items)

    return app
