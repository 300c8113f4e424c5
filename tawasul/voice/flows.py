"""IVR flows as data: the shape of a definition, its validation, and YAML in and out.

A definition (stored in ``IvrFlow.definition``, exported as YAML)::

    start: welcome            # first node
    closed: closed            # node run when the hotline's calendar is closed (after hours)
    holiday: holiday          # optional: node run when closed because today is a holiday
    nodes:
      welcome:  {type: play, say: {en: "Welcome to 1111", ar: "..."}, next: language}
      language: {type: language, timeout: 5, invalid: main, next: main}
      main:
        type: menu
        say: {en: "For the status of a report press 1, ...", ar: "..."}
        options: {"1": status, "2": procedures, "0": agent}
        timeout: 5            # seconds to wait for a digit
        retries: 2            # replays before taking the invalid path
        invalid: agent        # wrong digits or no input, after the retries
      status: {type: case_status, say: {...}, timeout: 10, invalid: main, next: main}
      procedures: {type: procedure, service: muscat-road-damage, next: main}
      agent:
        type: queue
        queue: general
        skills: {"entity:muscat": 1}
        max_size: 20          # optional: callers holding the line; the next one is offered a
                              # call-back (key 1), else goes to ``declined`` (or a goodbye)
        max_wait: 300         # optional: seconds in line before a call-back is offered (key 1);
                              # other keys or no key keep the caller waiting in their place
        callback_timeout: 5   # optional: seconds to press 1 after either offer
        declined: bye         # optional: where a caller refused by a full queue goes
      closed: {type: callback, say: {...}, timeout: 5, invalid: bye}
      bye: {type: hangup, say: {...}}

Rules checked on save (no dead ends): every node named exists (``next``, ``invalid``, menu
options, a queue's ``declined``); a queue's ``max_size`` is a whole number ≥ 0 and its
``max_wait`` / ``callback_timeout`` positive seconds; ``play``, ``language``,
``case_status`` and ``procedure`` nodes have ``next``; every node that waits for digits
(``menu``, ``language``, ``case_status``, ``callback``) has a positive ``timeout`` and an
``invalid`` path that is not itself; a menu has at least one option; ``queue``, ``hangup`` and
``callback`` end a flow, and from every node some end is reachable; ``start`` and ``closed``
exist; a queue's ``skills`` levels and ``priority`` are whole numbers (the gateway reads them
so in a live call). The whole definition is plain JSON data — text keys, finite numbers, no
dates or bytes YAML could add, no alias to itself, at most 20,000 values 30 deep — so what
passes is stored and read back unchanged; anything else is a :class:`FlowError` naming the
path, never another exception (``tests/voice/test_flows_fuzz.py``). Pure Python: no Django,
so the rules are unit-tested on their own.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import yaml

NODE_TYPES = {
    "play",
    "language",
    "menu",
    "case_status",
    "procedure",
    "queue",
    "callback",
    "hangup",
}
WAITS_FOR_DIGITS = {"menu", "language", "case_status", "callback"}
NEEDS_NEXT = {"play", "language", "case_status", "procedure"}
TERMINAL = {"queue", "hangup", "callback"}
DIGITS = set("0123456789*#")


class FlowError(ValueError):
    """An invalid flow; ``problems`` is a list of ``(path, message)``."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{path}: {msg}" for path, msg in problems))


# A pasted YAML can be anything; bounds that keep the checks cheap (a YAML "billion laughs"
# expands aliases into millions of values) while far above any real flow.
MAX_VALUES = 20_000
MAX_DEPTH = 30
_SCALARS = (str, int, float, bool, type(None))


def _plain_problems(value: Any, path: str = "") -> list[tuple[str, str]]:
    """What keeps ``value`` from being stored as JSON and read back the same: mapping keys
    that are not text, values YAML knows but JSON does not (dates, bytes, NaN), a structure
    that contains itself (a YAML alias to its own parent), or a size beyond any real flow."""
    problems: list[tuple[str, str]] = []
    seen = 0
    stack: list[tuple[Any, str, int, frozenset[int]]] = [(value, path, 0, frozenset())]
    while stack and not problems:
        item, where, depth, parents = stack.pop()
        seen += 1
        if seen > MAX_VALUES or depth > MAX_DEPTH:
            return [(path, "too large or too deeply nested for a flow")]
        if isinstance(item, float) and not math.isfinite(item):
            problems.append((where, "a finite number"))
        elif isinstance(item, _SCALARS):
            continue
        elif id(item) in parents:
            problems.append((where, "refers to itself"))
        elif isinstance(item, Mapping):
            for key, child in item.items():
                if not isinstance(key, str):
                    problems.append((f"{where}.{key}".lstrip("."), "keys are text"))
                    break
                stack.append((child, f"{where}.{key}".lstrip("."), depth + 1, parents | {id(item)}))
        elif isinstance(item, list):
            for index, child in enumerate(item):
                stack.append(
                    (child, f"{where}.{index}".lstrip("."), depth + 1, parents | {id(item)})
                )
        else:
            problems.append((where, "text, a number, a list or a mapping"))
    return problems


def _is_name(value: Any) -> bool:
    return isinstance(value, str) and bool(value)


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _targets(node: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """(field, target node) pairs of one node."""
    out = [(key, node[key]) for key in ("next", "invalid", "declined") if node.get(key)]
    options = node.get("options")
    if isinstance(options, Mapping):
        out.extend((f"options.{digit}", target) for digit, target in options.items())
    return out


def validate(definition: Any) -> list[tuple[str, str]]:
    """Every problem of a definition, as ``(path, message)``; empty when it is valid."""
    problems: list[tuple[str, str]] = []
    if not isinstance(definition, Mapping):
        return [("", "a flow is a mapping with start, closed and nodes")]
    nodes = definition.get("nodes")
    if not isinstance(nodes, Mapping) or not nodes:
        return [("nodes", "a flow needs at least one node")]
    # Everything below reads plain JSON data (text keys, finite numbers), as it is stored.
    plain = _plain_problems(definition)
    if plain:
        return plain
    for key in ("start", "closed", "holiday"):
        name = definition.get(key)
        if key != "holiday" and not name:
            problems.append((key, "required"))
        elif name and not isinstance(name, str):
            problems.append((key, "a node name"))
        elif name and name not in nodes:
            problems.append((key, f"no node named {name!r}"))
    for name, node in nodes.items():
        path = f"nodes.{name}"
        if not isinstance(node, Mapping):
            problems.append((path, "a node is a mapping"))
            continue
        kind = node.get("type")
        if not isinstance(kind, str) or kind not in NODE_TYPES:
            problems.append((f"{path}.type", f"one of {', '.join(sorted(NODE_TYPES))}"))
            continue
        say = node.get("say")
        if say is not None and not (
            isinstance(say, Mapping) and all(isinstance(v, str) for v in say.values())
        ):
            problems.append((f"{path}.say", "a mapping of language code to text"))
        if kind in NEEDS_NEXT and not node.get("next"):
            problems.append((f"{path}.next", "required: where the caller goes next"))
        if kind in WAITS_FOR_DIGITS:
            timeout = node.get("timeout")
            if not _is_number(timeout) or timeout <= 0:
                problems.append((f"{path}.timeout", "required: seconds to wait for digits"))
            if not node.get("invalid"):
                problems.append((f"{path}.invalid", "required: where wrong or no input goes"))
            elif node.get("invalid") == name:
                problems.append((f"{path}.invalid", "must lead elsewhere (retries replay)"))
            retries = node.get("retries", 2)
            if not _is_whole(retries) or not 0 <= retries <= 5:
                problems.append((f"{path}.retries", "a number from 0 to 5"))
        if kind == "menu":
            options = node.get("options")
            if not isinstance(options, Mapping) or not options:
                problems.append((f"{path}.options", "a menu needs at least one option"))
            else:
                for digit in options:
                    if str(digit) not in DIGITS:
                        problems.append((f"{path}.options.{digit}", "a single key 0-9, * or #"))
        elif node.get("options") is not None and not isinstance(node.get("options"), Mapping):
            problems.append((f"{path}.options", "a mapping of key to node"))
        if kind == "queue":
            problems.extend(_queue_problems(path, node))
        if kind == "procedure" and not _is_name(node.get("service")):
            problems.append((f"{path}.service", "required: the service code"))
        for field, target in _targets(node):
            if not isinstance(target, str):
                problems.append((f"{path}.{field}", "a node name"))
            elif target not in nodes:
                problems.append((f"{path}.{field}", f"no node named {target!r}"))
    if problems:
        return problems
    # No dead ends: every node must reach a terminal node (walk the edges backwards).
    reaches_end = {name for name, node in nodes.items() if node["type"] in TERMINAL}
    changed = True
    while changed:
        changed = False
        for name, node in nodes.items():
            if name not in reaches_end and any(t in reaches_end for _f, t in _targets(node)):
                reaches_end.add(name)
                changed = True
    for name in nodes:
        if name not in reaches_end:
            problems.append((f"nodes.{name}", "dead end: no way from here to a queue or hang-up"))
    return problems


def _is_number(value: Any) -> bool:
    # NaN compares false with everything: "NaN <= 0" is false, so it passed as a timeout.
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _queue_problems(path: str, node: Mapping[str, Any]) -> list[tuple[str, str]]:
    """A queue's name, skills and priority (the gateway reads them as text and whole numbers
    in a live call), maximum size, maximum wait and the call-back offer's timeout."""
    problems = []
    if not _is_name(node.get("queue")):
        problems.append((f"{path}.queue", "required: the queue's name"))
    skills = node.get("skills") or {}
    if not isinstance(skills, Mapping) or not all(_is_whole(v) for v in skills.values()):
        problems.append((f"{path}.skills", "a mapping of skill to level"))
    if "priority" in node and not _is_whole(node["priority"]):
        problems.append((f"{path}.priority", "a whole number"))
    size = node.get("max_size")
    if size is not None and not (_is_whole(size) and size >= 0):
        problems.append((f"{path}.max_size", "a whole number of callers, 0 or more"))
    for key in ("max_wait", "callback_timeout"):
        value = node.get(key)
        if value is not None and not (_is_number(value) and value > 0):
            problems.append((f"{path}.{key}", "a number of seconds above 0"))
    return problems


def check(definition: Any) -> dict[str, Any]:
    """The definition, or :class:`FlowError` naming every problem."""
    problems = validate(definition)
    if problems:
        raise FlowError(problems)
    return dict(definition)


def queues_of(definition: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The queue nodes (name, skills, priority) of a valid definition."""
    return [
        {
            "queue": node["queue"],
            "skills": dict(node.get("skills") or {}),
            "priority": int(node.get("priority", 0)),
        }
        for node in definition["nodes"].values()
        if node["type"] == "queue"
    ]


def to_yaml(documents: list[dict[str, Any]]) -> str:
    """Flows as a YAML stream, one document per hotline (``hotline``, ``version``, ``flow``)."""
    return yaml.safe_dump_all(documents, allow_unicode=True, sort_keys=False, width=100)


class YamlError(FlowError):
    """Text that is not YAML at all; ``detail`` is the parser's own words."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__([("yaml", f"not valid YAML: {detail}")])


def load_yaml(text: str, *, stream: bool = False) -> Any:
    """One YAML document (or, with ``stream``, the list of all of them), safely loaded; a
    :class:`YamlError` for anything the parser refuses."""
    try:
        return list(yaml.safe_load_all(text)) if stream else yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise YamlError(str(exc)) from None
    except RecursionError:
        # PyYAML composes nested collections recursively: "[[[[…" a few thousand deep.
        raise YamlError("nested too deeply") from None


def from_yaml(text: str) -> list[dict[str, Any]]:
    """Documents of a YAML stream written by :func:`to_yaml` (or by hand); anything that is
    not such a stream is a :class:`FlowError`."""
    docs = [doc for doc in load_yaml(text, stream=True) if doc is not None]
    for index, doc in enumerate(docs):
        if not isinstance(doc, Mapping) or "hotline" not in doc or "flow" not in doc:
            raise FlowError([(f"document {index + 1}", "needs hotline and flow")])
        doc["hotline"] = str(doc["hotline"])
        _stringify_digits(doc["flow"])
    return docs


def _stringify_digits(flow: Any) -> None:
    # YAML reads an unquoted 1: as an integer key; menu keys are keys on a phone pad.
    nodes = flow.get("nodes") if isinstance(flow, Mapping) else None
    for node in nodes.values() if isinstance(nodes, Mapping) else ():
        if isinstance(node, dict) and isinstance(node.get("options"), Mapping):
            node["options"] = {str(k): v for k, v in node["options"].items()}
