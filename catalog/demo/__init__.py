"""The demo town's shared catalogue: category tree, product families and generated images.

Used by `python manage.py seed_town` only. Everything is drawn from a `random.Random`
seeded per product index, so the same seed always builds the same catalogue and a
product's content never depends on how many products are asked for.
"""
