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
exist. Pure Python: no Django, so the rules are unit-tested on their own.
"""

from __future__ import annotations

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


def _targets(node: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(field, target node) pairs of one node."""
    out = [(key, node[key]) for key in ("next", "invalid", "declined") if node.get(key)]
    for digit, target in (node.get("options") or {}).items():
        out.append((f"options.{digit}", target))
    return out


def validate(definition: Any) -> list[tuple[str, str]]:
    """Every problem of a definition, as ``(path, message)``; empty when it is valid."""
    problems: list[tuple[str, str]] = []
    if not isinstance(definition, Mapping):
        return [("", "a flow is a mapping with start, closed and nodes")]
    nodes = definition.get("nodes")
    if not isinstance(nodes, Mapping) or not nodes:
        return [("nodes", "a flow needs at least one node")]
    for key in ("start", "closed", "holiday"):
        name = definition.get(key)
        if key != "holiday" and not name:
            problems.append((key, "required"))
        elif name and name not in nodes:
            problems.append((key, f"no node named {name!r}"))
    for name, node in nodes.items():
        path = f"nodes.{name}"
        if not isinstance(node, Mapping):
            problems.append((path, "a node is a mapping"))
            continue
        kind = node.get("type")
        if kind not in NODE_TYPES:
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
            if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or timeout <= 0:
                problems.append((f"{path}.timeout", "required: seconds to wait for digits"))
            if not node.get("invalid"):
                problems.append((f"{path}.invalid", "required: where wrong or no input goes"))
            elif node.get("invalid") == name:
                problems.append((f"{path}.invalid", "must lead elsewhere (retries replay)"))
            retries = node.get("retries", 2)
            if not isinstance(retries, int) or not 0 <= retries <= 5:
                problems.append((f"{path}.retries", "a number from 0 to 5"))
        if kind == "menu":
            options = node.get("options")
            if not isinstance(options, Mapping) or not options:
                problems.append((f"{path}.options", "a menu needs at least one option"))
            else:
                for digit in options:
                    if str(digit) not in DIGITS:
                        problems.append((f"{path}.options.{digit}", "a single key 0-9, * or #"))
        if kind == "queue" and not node.get("queue"):
            problems.append((f"{path}.queue", "required: the queue's name"))
        if kind == "queue" and not isinstance(node.get("skills", {}), Mapping):
            problems.append((f"{path}.skills", "a mapping of skill to level"))
        if kind == "queue":
            problems.extend(_queue_limits(path, node))
        if kind == "procedure" and not node.get("service"):
            problems.append((f"{path}.service", "required: the service code"))
        for field, target in _targets(node):
            if target not in nodes:
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
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _queue_limits(path: str, node: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Maximum size, maximum wait and the call-back offer's timeout of a queue node."""
    problems = []
    size = node.get("max_size")
    if size is not None and not (
        isinstance(size, int) and not isinstance(size, bool) and size >= 0
    ):
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


def from_yaml(text: str) -> list[dict[str, Any]]:
    """Documents of a YAML stream written by :func:`to_yaml` (or by hand)."""
    docs = [doc for doc in yaml.safe_load_all(text) if doc is not None]
    for index, doc in enumerate(docs):
        if not isinstance(doc, Mapping) or "hotline" not in doc or "flow" not in doc:
            raise FlowError([(f"document {index + 1}", "needs hotline and flow")])
        doc["hotline"] = str(doc["hotline"])
        _stringify_digits(doc["flow"])
    return docs


def _stringify_digits(flow: Any) -> None:
    # YAML reads an unquoted 1: as an integer key; menu keys are keys on a phone pad.
    for node in (flow.get("nodes") or {}).values() if isinstance(flow, Mapping) else ():
        if isinstance(node, dict) and isinstance(node.get("options"), Mapping):
            node["options"] = {str(k): v for k, v in node["options"].items()}
