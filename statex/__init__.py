"""Statex domain: configuration, models, storage, queue and events shared by the portal and the jobs."""
