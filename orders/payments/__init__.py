"""Payments: Stripe Checkout for the basket, Connect transfers to shops, refunds, webhooks."""
