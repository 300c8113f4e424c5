"""Flows used by the voice tests."""

from __future__ import annotations


def sample_flow() -> dict:
    return {
        "start": "welcome",
        "closed": "closed",
        "holiday": "holiday",
        "nodes": {
            "welcome": {
                "type": "play",
                "say": {"en": "Welcome.", "ar": "مرحبا."},
                "next": "language",
            },
            "language": {
                "type": "language",
                "timeout": 3,
                "retries": 0,
                "invalid": "main",
                "next": "main",
            },
            "main": {
                "type": "menu",
                "say": {"en": "Press 1 for status, 2 for procedures, 0 for an agent."},
                "options": {"1": "status", "2": "procedure", "0": "agent"},
                "timeout": 2,
                "retries": 1,
                "invalid": "sorry",
            },
            "status": {
                "type": "case_status",
                "say": {"en": "Enter the reference."},
                "timeout": 3,
                "retries": 0,
                "invalid": "sorry",
                "next": "bye",
            },
            "procedure": {"type": "procedure", "service": "moci-consumer-complaint", "next": "bye"},
            "agent": {"type": "queue", "queue": "general", "skills": {}},
            "closed": {
                "type": "callback",
                "say": {"en": "We are closed. Press 1."},
                "timeout": 3,
                "retries": 0,
                "invalid": "bye",
            },
            "holiday": {
                "type": "callback",
                "say": {"en": "Holiday. Press 1."},
                "timeout": 3,
                "retries": 0,
                "invalid": "bye",
            },
            "sorry": {"type": "hangup", "say": {"en": "Sorry."}},
            "bye": {"type": "hangup", "say": {"en": "Goodbye."}},
        },
    }
