"""The OpenAPI document describes what the API really answers, for the staff API and the
mobile-app API alike."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest
from django.test import Client
from ninja.openapi.schema import OpenAPISchema

from tawasul.api.api import api

pytestmark = pytest.mark.django_db


class _CollisionRecorder(OpenAPISchema):
    """django-ninja's document builder, remembering every definition offered under a name.

    ninja keeps one component per model *name* and silently lets the last model of that name
    win, so two different models called ``CaseOut`` make both operations document one shape.
    """

    def __init__(self, *args, **kwargs) -> None:
        self.offered: dict[str, set[str]] = defaultdict(set)
        super().__init__(*args, **kwargs)

    def add_schema_definitions(self, definitions: dict) -> None:
        for name, definition in definitions.items():
            self.offered[name].add(json.dumps(definition, sort_keys=True))
        super().add_schema_definitions(definitions)


def _document() -> dict:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def _response_schema(document: dict, path: str, method: str, status: str = "200") -> dict:
    content = document["paths"][path][method]["responses"][status]["content"]
    schema = content["application/json"]["schema"]
    ref = schema.get("$ref") or schema.get("items", {}).get("$ref")
    return document["components"]["schemas"][ref.rsplit("/", 1)[-1]]


def test_no_two_models_share_a_component_name():
    recorder = _CollisionRecorder(api, "/api/")
    shared = {name: len(shapes) for name, shapes in recorder.offered.items() if len(shapes) > 1}
    assert shared == {}
    assert len(recorder.offered) > 50


def test_staff_case_is_documented_with_its_own_fields():
    document = _document()
    case = _response_schema(document, "/api/cases/{reference}", "get")
    assert {"reference", "sla", "version", "allowed_actions", "assignee", "resident_id"} <= set(
        case["properties"]
    )
    entity = _response_schema(document, "/api/directory/entities", "get")
    assert {"name_en", "name_ar", "country"} <= set(entity["properties"])
    service = _response_schema(document, "/api/directory/services", "get")
    assert {"procedure_en", "documents_ar", "fee"} <= set(service["properties"])


def test_app_case_is_documented_with_its_own_fields():
    document = _document()
    case = _response_schema(document, "/api/app/cases/{reference}", "get")
    assert {"timeline", "status_label", "can_reply", "can_rate"} <= set(case["properties"])
    assert "allowed_actions" not in case["properties"]
    entity = _response_schema(document, "/api/app/entities", "get")
    assert set(entity["properties"]) == {"code", "name", "services"}


def test_every_operation_documents_its_error_answers():
    document = _document()
    error = document["components"]["schemas"]["ErrorOut"]
    assert error["required"] == ["detail"]
    responses = document["paths"]["/api/cases/{reference}"]["get"]["responses"]
    assert {"200", "401", "403", "404", "422"} <= set(responses)
    assert responses["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorOut"
    }
    register = document["paths"]["/api/app/installations"]["post"]["responses"]
    assert {"201", "422", "429"} <= set(register)
    assert "401" not in register  # registering needs no token
