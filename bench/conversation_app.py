"""The portal as bench/conversation.py serves it: the real app, its abuse limits off so posting can be loaded.

    gunicorn -k gthread -w 2 --threads 4 'bench.conversation_app:create_app()'
"""

from __future__ import annotations


def create_app():
    from portal import create_app as portal_app

    # Flask-Limiter's own switch: a bench posting hundreds of messages a second is not abuse.
    return portal_app(test_config={"RATELIMIT_ENABLED": False})
