"""Every field of the API's schema is described in French and in English: each property of
each request and response body (nested objects and array items included, the problem
document and the pages' envelopes too) and each parameter (query, path, header) carries a
description "<français> — EN: <English>" (catalog/api_text.py's `fr_en`). A field added
without both languages fails here."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SEPARATOR = " — EN: "
COMBINATIONS = ("allOf", "oneOf", "anyOf")


def _bilingual(description) -> bool:
    """French, the separator, then English: neither side empty."""
    if not isinstance(description, str) or SEPARATOR not in description:
        return False
    french, english = description.split(SEPARATOR, 1)
    return bool(french.strip()) and bool(english.strip())


def _reference(prop: dict) -> str | None:
    """The component a property only points to (`$ref`, or spectacular's `allOf: [$ref]` with
    readOnly...), if that is all it is."""
    rest = {k: v for k, v in prop.items() if k not in ("readOnly", "writeOnly", "nullable")}
    if set(rest) == {"$ref"}:
        return rest["$ref"]
    if set(rest) == {"allOf"} and len(rest["allOf"]) == 1 and set(rest["allOf"][0]) == {"$ref"}:
        return rest["allOf"][0]["$ref"]
    return None


def _object_components(schema: dict) -> set[str]:
    """The components checked on their own: objects with properties (not enums)."""
    components = schema.get("components", {}).get("schemas", {})
    return {f"#/components/schemas/{name}" for name, c in components.items() if "properties" in c}


def _properties(node, where: str):
    """(where, property) for every property under `node`, however deep."""
    if not isinstance(node, dict):
        return
    for name, prop in (node.get("properties") or {}).items():
        yield f"{where}.{name}", prop
        yield from _properties(prop, f"{where}.{name}")
    if isinstance(node.get("items"), dict):
        yield from _properties(node["items"], f"{where}[]")
    if isinstance(node.get("additionalProperties"), dict):
        yield from _properties(node["additionalProperties"], f"{where}{{}}")
    for combination in COMBINATIONS:
        for number, sub in enumerate(node.get(combination) or []):
            yield from _properties(sub, f"{where}.{combination}[{number}]")


def undescribed_properties(schema: dict) -> list[str]:
    """Each component property without a bilingual description (a mere pointer to an object
    component is left to that component's own check)."""
    objects = _object_components(schema)
    missing = []
    for name, component in schema.get("components", {}).get("schemas", {}).items():
        for where, prop in _properties(component, name):
            if _reference(prop) in objects:
                continue
            if not _bilingual(prop.get("description")):
                missing.append(f"{where}: {prop.get('description')!r}")
    return missing


def _parameters(schema: dict):
    """(where, parameter) for every parameter of every operation (and of every path)."""
    for path, item in schema.get("paths", {}).items():
        shared = item.get("parameters", [])
        for method, operation in item.items():
            if method == "parameters" or not isinstance(operation, dict):
                continue
            for parameter in [*shared, *operation.get("parameters", [])]:
                yield f"{method.upper()} {path} {parameter['in']}:{parameter['name']}", parameter


def undescribed_parameters(schema: dict) -> list[str]:
    return [
        f"{where}: {parameter.get('description')!r}"
        for where, parameter in _parameters(schema)
        if not _bilingual(parameter.get("description"))
    ]


@pytest.fixture
def schema(client):
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_every_field_of_every_body_is_described_in_french_and_english(schema):
    missing = undescribed_properties(schema)
    assert not missing, "Fields without « <fr> — EN: <en> »:\n" + "\n".join(missing)


def test_every_parameter_is_described_in_french_and_english(schema):
    missing = undescribed_parameters(schema)
    assert not missing, "Parameters without « <fr> — EN: <en> »:\n" + "\n".join(missing)


def test_the_walk_reaches_every_kind_of_field(schema):
    """The checks above see nested, paginated, problem and every kind of parameter."""
    properties = {where for name, c in schema["components"]["schemas"].items()
                  for where, _prop in _properties(c, name)}  # fmt: skip
    assert {
        "Offer.price", "OfferProduct.is_public", "PublicProduct.offers",
        "PaginatedOfferList.next", "PaginatedPublicShopList.count", "Problem.errors",
        "PatchedShopPatchRequest.hours", "HoursSpanRequest.weekday", "ShopOrderDetail.lines",
    } <= properties  # fmt: skip
    parameters = {where for where, _parameter in _parameters(schema)}
    assert {
        "GET /api/v1/offers/ query:cursor", "GET /api/v1/offers/ query:page_size",
        "GET /api/v1/public/shops/ query:page", "GET /api/v1/offers/{id}/ path:id",
        "POST /api/v1/shop-orders/{number}/transition/ path:number",
        "POST /api/v1/stock/ header:Idempotency-Key",
    } <= parameters  # fmt: skip


def test_a_field_or_parameter_without_both_languages_is_caught():
    """The checks themselves: what they refuse, and what they leave to the target's check."""
    schema = {
        "components": {"schemas": {
            "Thing": {"type": "object", "properties": {
                "good": {"type": "string", "description": "Prix. — EN: Price."},
                "french_only": {"type": "string", "description": "Prix TTC."},
                "no_english": {"type": "string", "description": "Prix. — EN:  "},
                "bare": {"type": "integer"},
                "other": {"$ref": "#/components/schemas/Other"},
                "kind": {"allOf": [{"$ref": "#/components/schemas/KindEnum"}], "readOnly": True},
                "rows": {"type": "array", "description": "Lignes. — EN: Rows.",
                         "items": {"type": "object", "properties": {"deep": {"type": "string"}}}},
            }},
            "Other": {"type": "object", "properties": {"x": {"type": "string"}}},
            "KindEnum": {"enum": ["a", "b"], "type": "string"},
        }},
        "paths": {"/things/{id}/": {"get": {"parameters": [
            {"in": "path", "name": "id", "schema": {"type": "integer"}},
            {"in": "query", "name": "q", "description": "Recherche. — EN: Search."},
        ]}}},
    }  # fmt: skip
    assert sorted(m.split(":")[0] for m in undescribed_properties(schema)) == [
        "Other.x", "Thing.bare", "Thing.french_only", "Thing.kind", "Thing.no_english",
        "Thing.rows[].deep",
    ]  # fmt: skip
    assert [m.split(": ")[0] for m in undescribed_parameters(schema)] == [
        "GET /things/{id}/ path:id"
    ]
