"""The state and rules of the fake Stripe: objects, idempotency, and Stripe-shaped refusals.

Kept apart from the HTTP plumbing (``stripe_server``) so each stays readable; a test reaches it
through the ``fake_stripe`` fixture to play the customer who pays or the merchant who onboards.
"""

import json
import re
import secrets
import threading
import time
from typing import Any

_ID_PATH = r"/v1/{}/(?P<id>[A-Za-z0-9_]+)"


class StripeFakeError(Exception):
    """Turned by the handler into a Stripe-shaped JSON error response."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str = "",
        param: str = "",
        type: str = "invalid_request_error",  # noqa: A002 - Stripe's field name
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.param, self.type = status, code, param, type


def form_decode(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Rebuild nested params from Stripe's ``a[b][0][c]=v`` form encoding."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        parts = re.findall(r"[^\[\]]+|\[\]", key)
        node: Any = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return _lists(root)


def _lists(node: Any) -> Any:
    """Turn ``{"0": …, "1": …}`` dicts (list items) into lists."""
    if not isinstance(node, dict):
        return node
    node = {key: _lists(value) for key, value in node.items()}
    if node and all(key.isdigit() for key in node):
        return [node[key] for key in sorted(node, key=int)]
    return node


def _amount(params: dict[str, Any], name: str = "amount", *, required: bool = True) -> int | None:
    raw = params.get(name)
    if raw is None:
        if required:
            raise StripeFakeError(400, f"Missing required param: {name}.", param=name)
        return None
    if not str(raw).isdigit() or int(raw) <= 0:
        raise StripeFakeError(400, f"Invalid positive integer: {name}={raw}", param=name)
    return int(raw)


def _required(params: dict[str, Any], name: str) -> Any:
    if params.get(name) in (None, ""):
        raise StripeFakeError(400, f"Missing required param: {name}.", param=name)
    return params[name]


class FakeStripe:
    """The fake's state (one per test) and the helpers a test uses to play the customer/merchant."""

    def __init__(self) -> None:
        self.base_url = ""
        self.objects: dict[str, dict[str, Any]] = {}
        self.requests: list[tuple[str, str]] = []
        self._idempotent: dict[str, tuple[str, dict[str, Any], int, dict[str, Any]]] = {}
        self._lock = threading.RLock()  # one request at a time, as one Stripe account

    # -- helpers for tests -------------------------------------------------------------------
    def checkout_session_pay(self, session_id: str) -> dict[str, Any]:
        """Complete a session as if the customer paid: PaymentIntent and Charge come to life."""
        with self._lock:
            session = self._get("cs_", session_id)
            if session["payment_status"] == "paid":
                return session
            pi_data = session.pop("_payment_intent_data")
            pi = self._new("pi", "payment_intent", amount=session["amount_total"])
            charge = self._new("ch", "charge", amount=session["amount_total"])
            common = {
                "currency": session["currency"],
                "transfer_group": pi_data.get("transfer_group"),
                "metadata": pi_data.get("metadata", {}),
            }
            pi.update(common, status="succeeded", latest_charge=charge["id"])
            charge.update(common, amount_refunded=0, refunded=False, paid=True, captured=True)
            charge.update(status="succeeded", payment_intent=pi["id"])
            session.update(status="complete", payment_status="paid", payment_intent=pi["id"])
            return session

    def checkout_session_expire(self, session_id: str) -> dict[str, Any]:
        """Let an unpaid session lapse, as Stripe does after its expiry time."""
        with self._lock:
            session = self._get("cs_", session_id)
            return self._session_expire({}, session["id"])

    def event_payload(self, event_type: str, obj: dict[str, Any], event_id: str = "") -> bytes:
        """The JSON body of a webhook event about `obj` (a stored object, as Stripe sends it)."""
        event = {
            "id": event_id or f"evt_{secrets.token_hex(12)}",
            "object": "event",
            "type": event_type,
            "created": int(time.time()),
            "livemode": False,
            "api_version": "2025-01-27.acacia",
            "data": {"object": self._expanded(obj, [])},
        }
        return json.dumps(event).encode()

    def account_complete_onboarding(self, account_id: str, *, enabled: bool = True) -> None:
        """Toggle an account as if its owner had (or had not) finished Stripe's onboarding."""
        with self._lock:
            account = self._get("acct_", account_id)
            account.update(charges_enabled=enabled, payouts_enabled=enabled)
            account.update(details_submitted=enabled)
            account["capabilities"] = {
                key: "active" if enabled else "inactive" for key in account["capabilities"]
            }

    def all(self, object_name: str) -> list[dict[str, Any]]:
        return [obj for obj in self.objects.values() if obj["object"] == object_name]

    # -- object store -------------------------------------------------------------------------
    def _new(self, prefix: str, object_name: str, **fields: Any) -> dict[str, Any]:
        obj = {
            "id": f"{prefix}_{secrets.token_hex(12)}",
            "object": object_name,
            "created": int(time.time()),
            "livemode": False,
            **fields,
        }
        self.objects[obj["id"]] = obj
        return obj

    def _get(self, prefix: str, object_id: str) -> dict[str, Any]:
        obj = self.objects.get(object_id)
        if obj is None or not object_id.startswith(prefix):
            raise StripeFakeError(
                404, f"No such object: '{object_id}'", code="resource_missing", param="id"
            )
        return obj

    def _expanded(self, obj: dict[str, Any], expand: list[str]) -> dict[str, Any]:
        out = {key: value for key, value in obj.items() if not key.startswith("_")}
        for path in expand:
            field, _, rest = path.partition(".")
            if isinstance(out.get(field), str) and out[field] in self.objects:
                out[field] = self._expanded(self.objects[out[field]], [rest] if rest else [])
        return out

    # -- request handling -----------------------------------------------------------------------
    def handle(self, method: str, path: str, params: dict[str, Any], key: str | None) -> Any:
        """Answer one authenticated request: (status, body)."""
        with self._lock:  # an idempotency key is checked and stored atomically
            self.requests.append((method, path))
            if method == "POST" and key:
                return self._idempotently(path, params, key)
            return self._route(method, path, params)

    def _idempotently(self, path: str, params: dict[str, Any], key: str) -> tuple[int, Any]:
        if key in self._idempotent:
            first_path, first_params, status, body = self._idempotent[key]
            if (first_path, first_params) != (path, params):
                raise StripeFakeError(
                    400,
                    "Keys for idempotent requests can only be used with "
                    "the same parameters they were first used with.",
                    type="idempotency_error",
                )
            return status, body
        status, body = self._route("POST", path, params)
        self._idempotent[key] = (path, params, status, body)
        return status, body

    def _route(self, method: str, path: str, params: dict[str, Any]) -> tuple[int, Any]:
        params = dict(params)
        expand = params.pop("expand", [])
        for route_method, pattern, action in self._routes():
            match = re.fullmatch(pattern, path)
            if match and method == route_method:
                with self._lock:
                    obj = action(params, **match.groupdict())
                    return 200, self._expanded(obj, list(expand))
        raise StripeFakeError(404, f"Unrecognized request URL ({method}: {path}).")

    def _routes(self) -> list[tuple[str, str, Any]]:
        retrieve = {
            "checkout/sessions": "cs_",
            "accounts": "acct_",
            "transfers": "tr_",
            "refunds": "re_",
            "payment_intents": "pi_",
            "charges": "ch_",
        }
        routes = [
            ("POST", "/v1/checkout/sessions", self._session_create),
            ("POST", _ID_PATH.format("checkout/sessions") + "/expire", self._session_expire),
            ("POST", "/v1/accounts", self._account_create),
            ("POST", "/v1/account_links", self._account_link_create),
            ("POST", "/v1/transfers", self._transfer_create),
            ("POST", "/v1/refunds", self._refund_create),
        ]
        for resource, prefix in retrieve.items():
            routes.append(
                (
                    "GET",
                    _ID_PATH.format(resource),
                    lambda params, id, prefix=prefix: self._get(prefix, id),
                )
            )
        return routes

    def _session_create(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("mode") != "payment":
            raise StripeFakeError(400, "This fake only supports mode=payment.", param="mode")
        for name in ("success_url", "line_items"):
            _required(params, name)
        currencies, total = set(), 0
        for item in params["line_items"]:
            price = item.get("price_data") or {}
            currencies.add(_required(price, "currency"))
            _required(price.get("product_data") or {}, "name")
            total += _amount(price, "unit_amount") * _amount(item, "quantity")
        if len(currencies) != 1:
            raise StripeFakeError(
                400, "All line items must share one currency.", param="line_items"
            )
        session = self._new(
            "cs_test",
            "checkout.session",
            amount_total=total,
            amount_subtotal=total,
            currency=currencies.pop(),
            client_reference_id=params.get("client_reference_id"),
            customer_email=params.get("customer_email"),
            metadata=params.get("metadata", {}),
            mode="payment",
            status="open",
            payment_status="unpaid",
            payment_intent=None,
            success_url=params["success_url"],
            cancel_url=params.get("cancel_url"),
            _payment_intent_data=params.get("payment_intent_data", {}),
        )
        session["url"] = f"{self.base_url}/pay/{session['id']}"
        return session

    def _session_expire(self, params: dict[str, Any], id: str) -> dict[str, Any]:  # noqa: A002
        session = self._get("cs_", id)
        if session["status"] != "open":
            raise StripeFakeError(
                400,
                f'Only Checkout Sessions with a status in ["open"] can be expired. '
                f'This Checkout Session has a status of "{session["status"]}".',
            )
        session.update(status="expired", url=None)
        return session

    def _account_create(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("type") not in ("express", None):
            raise StripeFakeError(400, "This fake only supports type=express.", param="type")
        requested = params.get("capabilities", {})
        return self._new(
            "acct",
            "account",
            type="express",
            email=params.get("email"),
            country=params.get("country", "FR"),
            business_profile=params.get("business_profile", {}),
            metadata=params.get("metadata", {}),
            charges_enabled=False,
            payouts_enabled=False,
            details_submitted=False,
            capabilities={name: "inactive" for name in requested},
        )

    def _account_link_create(self, params: dict[str, Any]) -> dict[str, Any]:
        account = self._get("acct_", _required(params, "account"))
        for name in ("refresh_url", "return_url", "type"):
            _required(params, name)
        return {
            "object": "account_link",
            "created": int(time.time()),
            "expires_at": int(time.time()) + 300,
            "url": f"{self.base_url}/onboarding/{account['id']}/{secrets.token_hex(8)}",
        }

    def _transfer_create(self, params: dict[str, Any]) -> dict[str, Any]:
        amount = _amount(params)
        account = self._get("acct_", _required(params, "destination"))
        if account["capabilities"].get("transfers") != "active":
            raise StripeFakeError(
                400,
                "Your destination account needs to have at least one of "
                "the following capabilities enabled: transfers.",
                param="destination",
            )
        source = params.get("source_transaction")
        if source:
            charge = self._get("ch_", source)
            already = sum(
                t["amount"] for t in self.all("transfer") if t["source_transaction"] == source
            )
            if already + amount > charge["amount"]:
                raise StripeFakeError(
                    400,
                    "Transfers from this charge would exceed its amount.",
                    code="amount_too_large",
                    param="amount",
                )
        return self._new(
            "tr",
            "transfer",
            amount=amount,
            amount_reversed=0,
            currency=_required(params, "currency"),
            destination=account["id"],
            transfer_group=params.get("transfer_group"),
            source_transaction=source,
            metadata=params.get("metadata", {}),
            reversed=False,
        )

    def _refund_create(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("payment_intent"):
            intent = self._get("pi_", params["payment_intent"])
            if not intent.get("latest_charge"):
                raise StripeFakeError(
                    400, "This PaymentIntent has no successful charge.", param="payment_intent"
                )
            charge = self.objects[intent["latest_charge"]]
        else:
            charge = self._get("ch_", _required(params, "charge"))
        remaining = charge["amount"] - charge["amount_refunded"]
        amount = _amount(params, required=False) or remaining
        if amount > remaining:
            raise StripeFakeError(
                400,
                f"Refund amount ({amount}) is greater than unrefunded "
                f"amount on charge ({remaining})",
                code="amount_too_large",
                param="amount",
            )
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] == charge["amount"]
        return self._new(
            "re",
            "refund",
            amount=amount,
            currency=charge["currency"],
            charge=charge["id"],
            payment_intent=charge["payment_intent"],
            status="succeeded",
            reason=params.get("reason"),
            metadata=params.get("metadata", {}),
        )
