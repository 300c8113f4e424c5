"""Fuzz of the IVR flow validator: whatever an administrator pastes (YAML or a decoded dict),
the answer is a valid flow or a FlowError naming the path — never another exception. A flow
that passes must also be one the rest of Tawasul can store and run (JSON, queues_of)."""

from __future__ import annotations

import copy
import json
import math

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tawasul.voice import flows
from tests.voice.flows import sample_flow

FUZZ = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)

# Everything YAML's safe loader can produce: scalars of every type it knows, lists, mappings
# (with keys of any hashable type, as YAML allows).
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["start", "main", "bye", "welcome", "closed", "1", "*", "queue", "menu"]),
    st.dates(),
    st.datetimes(),
    st.binary(max_size=6),
)
keys = st.one_of(
    st.text(max_size=8), st.integers(-3, 12), st.booleans(), st.none(), st.floats(), st.dates()
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=20,
)
NODE_KEYS = [
    *("type", "say", "next", "invalid", "declined", "options", "timeout", "retries", "queue"),
    *("skills", "max_size", "max_wait", "callback_timeout", "service", "priority"),
]
node_type = st.one_of(st.sampled_from(sorted(flows.NODE_TYPES)), values)
node_names = st.sampled_from(["welcome", "main", "agent", "bye", "closed", "status"])


@st.composite
def near_valid_flows(draw) -> dict:
    """The sample flow with some nodes, fields or values replaced by anything."""
    flow = copy.deepcopy(sample_flow())
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.sampled_from(["top", "node", "field"]))
        if where == "top":
            flow[draw(st.sampled_from(["start", "closed", "holiday", "nodes"]))] = draw(values)
        elif where == "node" and isinstance(flow.get("nodes"), dict):
            flow["nodes"][draw(st.one_of(node_names, keys))] = draw(
                st.one_of(values, st.dictionaries(st.sampled_from(NODE_KEYS), values))
            )
        elif isinstance(flow.get("nodes"), dict) and flow["nodes"]:
            name = draw(st.sampled_from(sorted(flow["nodes"], key=repr)))
            node = flow["nodes"][name]
            if isinstance(node, dict):
                node[draw(st.sampled_from(NODE_KEYS))] = draw(st.one_of(node_type, values))
    return flow


def assert_valid_or_named(definition) -> None:
    problems = flows.validate(definition)
    assert isinstance(problems, list)
    for path, message in problems:
        assert isinstance(path, str) and isinstance(message, str) and message
    if problems:
        with pytest.raises(flows.FlowError):
            flows.check(definition)
        return
    checked = flows.check(definition)
    # A flow that passes is stored as JSON and run by the gateway as it was validated.
    assert json.loads(json.dumps(checked, allow_nan=False)) == checked
    for queue in flows.queues_of(checked):
        assert isinstance(queue["queue"], str) and isinstance(queue["priority"], int)
    for node in checked["nodes"].values():
        if node["type"] in flows.WAITS_FOR_DIGITS:
            assert math.isfinite(node["timeout"]) and node["timeout"] > 0


@FUZZ
@given(definition=values)
@example(definition={"start": ["x"], "closed": "x", "nodes": {"x": {"type": "hangup"}}})
@example(definition={"start": "x", "closed": "x", "nodes": {"x": {"type": "hangup", "next": {}}}})
@example(
    definition={"start": "x", "closed": "x", "nodes": {"x": {"type": "hangup", "options": [1]}}}
)
def test_any_structure_is_a_flow_or_a_named_problem(definition):
    assert_valid_or_named(definition)


@FUZZ
@given(definition=near_valid_flows())
@example(  # NaN is not above 0 and not below it: it waited for ever on a menu
    definition={**sample_flow(), "nodes": {**sample_flow()["nodes"],
                "bye": {"type": "hangup"},
                "main": {**sample_flow()["nodes"]["main"], "timeout": float("nan")}}}
)  # fmt: skip
@example(definition={**sample_flow(), "nodes": {**sample_flow()["nodes"],
         "agent": {"type": "queue", "queue": "general", "priority": "high"}}})  # fmt: skip
@example(definition={**sample_flow(), "nodes": {**sample_flow()["nodes"],
         "agent": {"type": "queue", "queue": [1, 2]}}})  # fmt: skip
def test_near_valid_flows_are_valid_or_named(definition):
    assert_valid_or_named(definition)


# A "billion laughs": seven levels of nine aliases, 9**7 strings once expanded.
LAUGHS = (
    "l0: &a [ha, ha, ha, ha, ha, ha, ha, ha, ha]\n"
    + "".join(f"l{n}: &{b} [{', '.join([f'*{a}'] * 9)}]\n"
              for n, (a, b) in enumerate(zip("abcdef", "bcdefg", strict=True), start=1))
    + "hotline: 109\nflow: {start: x, closed: x, nodes: {x: {type: hangup, say: *g}}}\n"
)  # fmt: skip


def _yaml_texts():
    dumped = values.map(lambda v: yaml.safe_dump({"hotline": 109, "flow": v}, allow_unicode=True))
    mutated = st.builds(
        lambda flow, noise: yaml.safe_dump({"hotline": "1111", "flow": flow}) + noise,
        near_valid_flows(),
        st.text(max_size=20),
    )
    return st.one_of(st.text(max_size=200), dumped, mutated)


@FUZZ
@given(text=_yaml_texts())
@example(text="hotline: 109\nflow: {nodes: [a, b]}\n")
@example(text="hotline: 109\nflow: {nodes: {a: {type: menu, options: [1]}}}\n")
@example(text="hotline: 109\nflow: [unclosed")
@example(text="hotline: 109\nflow: &a {nodes: {x: *a}}\n")
@example(text="\ufeffhotline: 109\nflow: {}\n---\n- 1\n")
@example(text="hotline: 109\nflow: " + "[" * 5000)  # PyYAML composes recursively
@example(text=LAUGHS)  # aliases expand to 9**7 values: bounded, not walked
@example(
    text="hotline: 109\nflow: {start: x, closed: x, nodes: {x: {type: hangup, at: 2026-01-01}}}"
)
@example(
    text="hotline: 109\nflow: {start: x, closed: x, nodes: {x: {type: hangup}, 1: {type: hangup}}}"
)
def test_yaml_is_flows_or_a_named_problem(text):
    try:
        docs = flows.from_yaml(text)
    except flows.FlowError as exc:
        assert exc.problems and all(isinstance(p, str) for p, _m in exc.problems)
        return
    for doc in docs:
        assert isinstance(doc["hotline"], str)
        assert_valid_or_named(doc["flow"])


@pytest.mark.django_db
def test_admin_and_import_answer_a_broken_flow_with_its_path(directory, people):
    """Found by the fuzz: these were 500s (AttributeError, TypeError) or a catch-all."""
    from django.test import Client

    from tawasul.errors import DomainError
    from tawasul.voice import services
    from tests.support import verified_client

    client = verified_client(people["admin"], Client())
    data = {"hotline": directory["h109"].pk, "comment": "", "active": "on"}
    for text, path in (
        ("start: a\nclosed: a\nnodes: [a, b]\n", "nodes"),
        ("start: [a]\nclosed: a\nnodes: {a: {type: hangup}}\n", "start"),
        ("start: a\nclosed: a\nnodes: {a: {type: queue, queue: q, priority: high}}\n",
         "nodes.a.priority"),
        ("start: a\nclosed: a\nnodes: {a: {type: hangup, when: 2026-01-01}}\n", "nodes.a.when"),
        ("[" * 5000, "Not valid YAML"),
    ):  # fmt: skip
        response = client.post("/admin/voice/ivrflow/add/", {**data, "definition_yaml": text})
        assert response.status_code == 200, text
        assert path in response.content.decode(), text
    for flow, field in (
        ("{start: a, closed: a, nodes: [a, b]}", "flow.nodes"),
        ("{start: a, closed: a, nodes: {a: {type: hangup, options: [1]}}}", "flow.nodes.a.options"),
        ("[" * 5000, "yaml"),
    ):
        with pytest.raises(DomainError) as refused:
            services.ivr_import(text=f"hotline: '109'\nflow: {flow}\n")
        assert refused.value.field == field, refused.value.message
