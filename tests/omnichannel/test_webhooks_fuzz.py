"""Fuzz of the webhook parsers (WhatsApp Cloud API and the generic JSON webhook): bodies of
any JSON shape, in any encoding, with a VALID signature so the parser itself is exercised,
are answered 2xx or a clear 4xx naming the field; never a 500, never an exception, and never
a 503 (which the networks would retry for ever) for a body that cannot change."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

from django.test import Client
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from tawasul.omnichannel.webhooks import sign

SECRET, GENERIC_SECRET = "meta-app-secret", "x-secret"
FUZZ = settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CLEAR = {200, 400, 401, 403, 404, 409, 413, 415, 422}

surrogates = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
strings = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.one_of(st.characters(), surrogates), max_size=10),
    st.sampled_from(["", "\x00", "97455123456", "+97455123456", "text", "image", "messages",
                     "whatsapp_business_account", "wamid.HBgM", "2026-01-01T00:00:00+03:00"]),
    # Overlong, cheaply: generating thousands of random characters is what would be slow.
    st.tuples(st.sampled_from(["ب", "a", "😀", "\u200f"]), st.integers(3000, 6000)).map(
        lambda pair: pair[0] * pair[1]
    ),
)  # fmt: skip
numbers = st.one_of(
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=False, allow_infinity=False),
    st.just(int(time.time())),
)
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), numbers, strings),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(strings, inner, max_size=3)
    ),
    max_leaves=8,
)


class Bodies:
    """A valid body with at most a few of its fields replaced by anything, so most bodies
    get deep into the parser (and many are stored) while every field is tried."""

    def __init__(self, draw, fields: list[str]) -> None:
        self.draw = draw
        self.bad = draw(st.sets(st.sampled_from(fields), max_size=3))

    def field(self, name: str, good, strategy=None):
        if name not in self.bad:
            return good
        return self.draw(st.one_of(strategy, json_values) if strategy is not None else json_values)


WA_FIELDS = ["object", "entry", "field", "contacts", "name", "messages", "statuses", "from",
             "id", "timestamp", "type", "text", "image", "status"]  # fmt: skip


@st.composite
def wa_bodies(draw) -> object:
    b = Bodies(draw, WA_FIELDS)
    message = {
        "from": b.field("from", "97455123456", strings),
        "id": b.field("id", f"wamid.{draw(st.uuids())}", strings),
        "timestamp": b.field("timestamp", str(int(time.time())), numbers),
        "type": b.field("type", "text", st.sampled_from(["image", "document", "sticker"])),
        "text": {"body": b.field("text", draw(st.text(max_size=40)), strings)},
        "image": b.field("image", {"caption": "حفرة"}),
    }
    status = {"id": b.field("status", "wamid.out", strings), "status": "delivered",
              "errors": [{"code": 131000, "title": "x"}]}  # fmt: skip
    contact = {"profile": {"name": b.field("name", "مريم", strings)}, "wa_id": "97455123456"}
    value = {
        "messaging_product": "whatsapp",
        "contacts": b.field("contacts", [contact]),
        "messages": b.field("messages", [message]),
        "statuses": b.field("statuses", [status]),
    }
    change = {"field": b.field("field", "messages", strings), "value": value}
    body = {
        "object": b.field("object", "whatsapp_business_account", strings),
        "entry": b.field("entry", [{"id": "WABA1", "changes": [change]}]),
    }
    return draw(st.one_of(st.just(body), st.just(body), st.just(body), json_values))


GENERIC_FIELDS = ["id", "timestamp", "sender", "sender.id", "name", "phone", "text", "extra"]


@st.composite
def generic_bodies(draw) -> object:
    b = Bodies(draw, GENERIC_FIELDS)
    when = datetime.now(UTC) - timedelta(minutes=draw(st.integers(-20, 60 * 48)))
    sender = {
        "id": b.field("sender.id", "user-1", strings),
        "name": b.field("name", draw(st.text(max_size=20)), strings),
        "phone": b.field("phone", "+96899123456", strings),
    }
    body = {
        "id": b.field("id", str(draw(st.uuids())), strings),
        "timestamp": b.field("timestamp", when.isoformat(),
                             st.one_of(strings, numbers, st.datetimes().map(str))),
        "sender": b.field("sender", sender),
        "text": b.field("text", draw(st.text(min_size=1, max_size=40)), strings),
    }  # fmt: skip
    if "extra" in b.bad:
        body[draw(strings)] = draw(json_values)
    return draw(st.one_of(st.just(body), st.just(body), st.just(body), json_values))


def encoded(body: object, how: str) -> bytes:
    if how == "raw":  # not JSON at all
        return body if isinstance(body, bytes) else repr(body).encode("utf-8", "surrogatepass")
    text = json.dumps(body, ensure_ascii=(how == "ascii"))
    if how == "utf-16":
        return text.encode("utf-16", "surrogatepass")
    if how == "bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8", "surrogatepass")
    # Lone surrogates as raw bytes: not UTF-8; with "ascii" they are \udxxx escapes instead.
    return text.encode("utf-8", "surrogatepass")


encodings = st.sampled_from(["utf-8", "utf-8", "ascii", "utf-16", "bom", "raw"])


def post(path: str, body: bytes, *, header: str, secret: str, content_type: str):
    headers = {header: sign(secret, body)}
    return Client().post(path, body, content_type=content_type, headers=headers)


def check(response) -> None:
    assert response.status_code in CLEAR, (response.status_code, response.content[:300])
    data = response.json()
    refused = data["detail"][0]["field"] if "detail" in data else ""
    event(f"status {response.status_code} {refused}"[:60])
    if response.status_code >= 400 and "detail" in data:
        assert data["detail"] and all(item["message"] for item in data["detail"])


def wa(message: dict) -> dict:
    value = {"messaging_product": "whatsapp", "messages": [message]}
    return {"object": "whatsapp_business_account",
            "entry": [{"id": "W", "changes": [{"field": "messages", "value": value}]}]}  # fmt: skip


NOW = str(int(time.time()))


@FUZZ
@given(body=wa_bodies(), how=encodings, content_type=st.sampled_from(
    ["application/json", "text/plain", "application/octet-stream"]))  # fmt: skip
@example(
    body=wa(
        {
            "from": "97455123456",
            "id": "w1",
            "timestamp": 10**20,
            "type": "text",
            "text": {"body": "x"},
        }
    ),
    how="utf-8",
    content_type="application/json",
)
@example(
    body=wa(
        {
            "from": "97455123456",
            "id": "w2",
            "timestamp": -(10**15),
            "type": "text",
            "text": {"body": "x"},
        }
    ),
    how="utf-8",
    content_type="application/json",
)
@example(
    body=wa(
        {
            "from": "97455123456",
            "id": "w\x003",
            "timestamp": NOW,
            "type": "text",
            "text": {"body": "x"},
        }
    ),
    how="utf-8",
    content_type="application/json",
)
@example(
    body=wa(
        {
            "from": "9745512\x003456",
            "id": "w4",
            "timestamp": NOW,
            "type": "text",
            "text": {"body": "x"},
        }
    ),
    how="utf-8",
    content_type="application/json",
)
@example(
    body=wa(
        {
            "from": "97455123456",
            "id": "w5",
            "timestamp": NOW,
            "type": "text",
            "text": {"body": "\ud800 lone"},
        }
    ),
    how="ascii",
    content_type="application/json",
)
@example(body={"object": "whatsapp_business_account", "entry": [{"id": "W", "changes": [
    {"field": "messages", "value": {"contacts": [{"wa_id": "97455123456",
     "profile": {"name": "a\x00b"}}], "messages": [{"from": "97455123456", "id": "w6",
     "timestamp": NOW, "type": "text", "text": {"body": "x"}}]}}]}]},
    how="utf-8", content_type="application/json")  # fmt: skip
def test_whatsapp_bodies_are_answered_clearly(directory, settings, body, how, content_type):
    settings.TAWASUL_WHATSAPP_APP_SECRET = SECRET
    raw = encoded(body, how)
    check(post("/channels/whatsapp/webhook", raw, header="X-Hub-Signature-256", secret=SECRET,
               content_type=content_type))  # fmt: skip


@FUZZ
@given(body=generic_bodies(), how=encodings)
@example(body={"id": "g1", "timestamp": "9999-12-31T23:59:59-12:00", "sender": {"id": "u"},
               "text": "x"}, how="utf-8")  # fmt: skip
@example(body={"id": "g2", "timestamp": "0001-01-01T00:00:00+14:00", "sender": {"id": "u"},
               "text": "x"}, how="utf-8")  # fmt: skip
@example(body={"id": "g3", "timestamp": datetime.now(UTC).isoformat(),
               "sender": {"id": "u\ud800"}, "text": "x"}, how="ascii")  # fmt: skip
@example(body={"id": "g4", "timestamp": datetime.now(UTC).isoformat(),
               "sender": {"id": "u", "name": "\udfff"}, "text": "x"}, how="ascii")  # fmt: skip
@example(body={"id": "g5", "timestamp": datetime.now(UTC).isoformat(),
               "sender": {"id": "u"}, "text": "x"}, how="utf-16")  # fmt: skip
def test_generic_bodies_are_answered_clearly(directory, settings, body, how):
    settings.TAWASUL_WEBHOOK_SECRETS = {"x": GENERIC_SECRET}
    check(post("/channels/webhook/x", encoded(body, how), header="X-Tawasul-Signature",
               secret=GENERIC_SECRET, content_type="application/json"))  # fmt: skip
