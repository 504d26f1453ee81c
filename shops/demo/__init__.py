"""The demo town's shops, their merchants and their offers (stock records).

Used by `python manage.py seed_town` only. Shops are keyed by index through their code
(`boutique-007`) and drawn from a `random.Random` seeded per index, like the products.
"""
