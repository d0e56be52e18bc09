"""E-mail delivery moved to website (``website.tasks.deliver_email``). Tasks queued
before the move name ``learning.tasks.deliver_email``; this name keeps them working."""

from website.tasks import deliver_email

__all__ = ["deliver_email"]
