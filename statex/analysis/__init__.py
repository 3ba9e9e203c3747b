"""Analysers turn a request's text into a structured result."""
