"""The town's console (/dashboard/portail/): the portal's figures for the commerce staff.

It lives in `digitaix`, above every app in the layers (pyproject.toml's import-linter
contract), because its figures span them all: shops and their products (`shops`, `catalog`),
shop orders and sales (`orders`), deliveries (`delivery`).
"""
