"""The demo town's shops, their merchants and their offers (stock records).

Used by `python manage.py seed_town` only. Shops are drawn from a `random.Random` seeded per
index (their key, `boutique-007`), like the products; their code is made from their name.
"""
