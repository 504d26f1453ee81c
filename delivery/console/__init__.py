"""The town's console (/dashboard/portail/): the portal's figures for the commerce staff.

It lives in `delivery`, the top of the dependency chain, because its figures span every app:
shops and their products (`shops`, `catalog`), shop orders and sales (`orders`), deliveries.
"""
