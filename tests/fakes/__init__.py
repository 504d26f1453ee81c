"""Local fakes of the outside services Digitaix talks to (Stripe, a Web Push service), for tests
only."""

import pytest

# Test modules import helpers from the fakes before loading them as plugins (``pytest_plugins``).
pytest.register_assert_rewrite(
    "tests.fakes.stripe_server", "tests.fakes.stripe_resources", "tests.fakes.push_service"
)
