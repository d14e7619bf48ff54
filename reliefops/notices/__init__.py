"""Notifications: notices in the app (the bell) and by e-mail, and scheduled reminders.

Higher apps call :func:`reliefops.notices.services.notify` from their own services, in
their transaction; reminder providers live in ``<app>/notices.py`` (discovered per app).
"""
