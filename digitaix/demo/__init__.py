"""The demo town's delivery zones and its past activity (orders, couriers, rounds).

Used by `python manage.py seed_town` only. Here rather than in `delivery` because the
activity spans every app (shops' offers, orders, the outbox, delivery's rounds); the
catalogue's and the shops' demo data stay in their apps, which they alone use.
"""
