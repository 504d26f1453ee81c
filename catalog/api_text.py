"""The REST API schema's field descriptions: French first, then English, in one format.

Every field and parameter of /api/schema/ is described in both languages at once (the
town's integrators may read either), so these texts are not translated through the
catalogue: `fr_en` joins the two versions. Kept here, the lowest layer, so that every app's
`api.py` can use it (tests/functional/test_api_descriptions.py checks that none is missing).
"""

EN_SEPARATOR = " — EN: "


def fr_en(fr: str, en: str) -> str:
    """`fr_en("Prix TTC.", "Price incl. VAT.")` -> "Prix TTC. — EN: Price incl. VAT."."""
    return f"{fr}{EN_SEPARATOR}{en}"
