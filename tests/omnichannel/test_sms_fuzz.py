"""Fuzz of the SMS intake (Kannel's MO get-url, ``/channels/sms/mo``): with the right secret,
whatever the operator and Kannel put in the parameters — any Unicode, raw bytes in any
charset, UCS-2 that is not UCS-2, a UDH, overlong values, repeated or missing fields — the
message is stored (200) or refused with a clear 4xx naming the field; never a 500, never an
exception, and never a 503 (which Kannel would retry for ever) for input that cannot change.

Kannel itself is exercised in test_kannel.py; here the parameters it could send are made up,
so thousands of shapes run in seconds against the same view and the same database."""

from __future__ import annotations

import urllib.parse

from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from tawasul.interactions.models import Interaction

SECRET = "kannel-callback-secret"
FUZZ = settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CLEAR = {200, 400, 403, 404, 409, 413, 422}

valid_phones = st.sampled_from(["+97455123456", "0096899123456", "+968 9912 3456", "55123457"])
odd_phones = st.one_of(
    st.sampled_from(["97455123456", ""]), st.from_regex(r"\+?[0-9 ]{1,20}", fullmatch=True),
    st.text(max_size=40),
)  # fmt: skip
short_codes = st.one_of(st.sampled_from(["107", "109", "1111", "16000", ""]), st.text(max_size=30))
texts = st.one_of(
    st.text(max_size=300),
    # Overlong, cheaply: generating thousands of random characters is what would be slow.
    st.tuples(st.sampled_from(["ب", "a", "😀", "\u200f"]), st.integers(200, 5000)).map(
        lambda pair: pair[0] * pair[1]
    ),
    st.sampled_from(["أرغب في حجز موعد", "رقم بلاغي 107-2026-000001", "\u200f\u202b😀\u0000"]),
)
odd_ids = st.one_of(st.text(max_size=40), st.text(min_size=250, max_size=400))
# hypothesis favours the first element of sampled_from: most fields keep their usual value.
usual = st.sampled_from([True] * 4 + [False])
values = st.one_of(st.text(max_size=20), st.binary(max_size=20), st.integers().map(str))


def _encode(value: str | bytes, charset: str) -> str:
    """One query value as Kannel would put it on the wire: percent-encoded bytes."""
    if isinstance(value, str):
        value = value.encode(charset, errors="replace")
    return urllib.parse.quote_from_bytes(value, safe="")


@st.composite
def mo_queries(draw) -> str:
    text = draw(st.one_of(texts, st.binary(max_size=400)))
    coding = draw(st.sampled_from(["0", "1", "2", "", "9", "abc"]))
    charset = draw(st.sampled_from(["utf-8", "utf-16-be", "latin-1", "utf-8", "cp1256"]))
    if coding == "2" and isinstance(text, str) and draw(st.booleans()):
        text = text.encode("utf-16-be", errors="surrogatepass")  # what Kannel sends unrecoded
    fields: list[tuple[str, str | bytes]] = [
        ("secret", SECRET),
        ("from", draw(valid_phones) if draw(usual) else draw(odd_phones)),
        ("to", draw(short_codes)),
        ("text", text),
        ("id", draw(st.uuids().map(str)) if draw(usual) else draw(odd_ids)),
        ("ts", draw(st.one_of(st.integers().map(str), st.text(max_size=12)))),
        ("coding", coding),
        ("charset", charset),
    ]
    if draw(st.booleans()):
        fields.append(("udh", draw(st.binary(max_size=12))))
    # Kannel omits empty fields (omit-empty) and a proxy may repeat or add some.
    fields = [f for f in fields if f[0] == "secret" or draw(usual) or draw(usual)]
    fields += draw(st.lists(st.tuples(st.sampled_from(["from", "to", "text", "id", "x"]), values),
                            max_size=3))  # fmt: skip
    # Kannel sends the text in the message's charset; the other fields are its own, in ASCII.
    return "&".join(
        f"{_encode(k, 'utf-8')}={_encode(v, charset if k == 'text' else 'utf-8')}"
        for k, v in fields
    )


def _query(**fields: str | bytes) -> str:
    return "&".join(f"{k}={_encode(v, 'utf-8')}" for k, v in {"secret": SECRET, **fields}.items())


@FUZZ
@given(query=mo_queries())
@example(query=_query(**{"from": "+97455123456", "to": "107", "text": "hi", "id": "a" * 300}))
@example(query=_query(**{"from": "+97455123456", "to": "107", "text": "x", "id": "i\x00d"}))
@example(query=_query(**{"from": "+9745512\x003456", "to": "107", "text": "x", "id": "n1"}))
@example(query=_query(**{"from": "+97455123456", "to": "10\x007", "text": "x", "id": "n2"}))
@example(query=_query(**{"from": "+97455123456", "text": b"\xd8\x00\xdc", "coding": "2",
                         "id": "odd-ucs2"}))  # fmt: skip
@example(query=_query(**{"from": "+97455123456", "text": "\x00\x00", "id": "only-nul"}))
@example(query=_query(**{"from": "+97455123456", "text": "x" * 20000, "id": "overlong"}))
@example(query=_query(**{"from": "+97455123456", "to": "107", "text": "x", "id": "\t!"}))
def test_any_mo_is_stored_or_refused_clearly(client, directory, settings, query):
    settings.TAWASUL_SMS_SECRET = SECRET
    response = client.get(f"/channels/sms/mo?{query}")
    refused = response.json()["detail"][0]["field"] if response.status_code >= 400 else ""
    event(f"status {response.status_code} {refused}")
    assert response.status_code in CLEAR, (response.status_code, response.content[:300])
    if response.status_code == 200:
        # Stored as Kannel's id without surrounding blanks, cut to the column.
        message_id = _last_id(query).strip()
        assert Interaction.objects.filter(channel="sms", external_id=message_id[:255]).exists()
        # Kannel redelivers until it gets a 200: the second delivery is a duplicate, not a crash.
        again = client.get(f"/channels/sms/mo?{query}")
        assert again.status_code == 200, again.content[:300]
        assert Interaction.objects.filter(channel="sms", external_id=message_id[:255]).count() == 1
    else:
        detail = response.json()["detail"]
        assert detail and all(item["message"] for item in detail)


def _last_id(query: str) -> str:
    """The id Django reads from the query (the last ``id`` wins, as in ``QueryDict.get``)."""
    from django.http import QueryDict

    return QueryDict(query).get("id", "")
