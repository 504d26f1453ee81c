"""The merchant space as an installable web app, and its phones' Web Push subscriptions."""
