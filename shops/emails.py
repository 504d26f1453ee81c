"""E-mail helpers, now in `messaging.emails` (the bottom app every app may import)."""

from messaging.emails import absolute_url, email_build

__all__ = ["absolute_url", "email_build"]
