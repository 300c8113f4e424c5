"""IVR flows as data: validation rules, versions, YAML round trip, the admin's checks."""

from __future__ import annotations

import copy

import pytest

from tawasul.voice import flows
from tests.support import verified_client
from tests.voice.flows import sample_flow


def paths(definition) -> set[str]:
    return {path for path, _message in flows.validate(definition)}


def test_the_sample_flow_is_valid():
    assert flows.validate(sample_flow()) == []


def test_a_menu_needs_a_timeout_and_an_invalid_path():
    flow = sample_flow()
    del flow["nodes"]["main"]["timeout"]
    del flow["nodes"]["main"]["invalid"]
    assert {"nodes.main.timeout", "nodes.main.invalid"} <= paths(flow)


def test_invalid_path_must_not_loop_on_itself():
    flow = sample_flow()
    flow["nodes"]["main"]["invalid"] = "main"
    assert "nodes.main.invalid" in paths(flow)


def test_dead_ends_are_refused():
    flow = sample_flow()
    # Two nodes that only lead to each other: a caller sent there never reaches an end.
    flow["nodes"]["a"] = {"type": "play", "next": "b"}
    flow["nodes"]["b"] = {"type": "play", "next": "a"}
    flow["nodes"]["main"]["options"]["5"] = "a"
    assert {"nodes.a", "nodes.b"} <= paths(flow)


def test_unknown_targets_types_and_keys_are_named():
    flow = sample_flow()
    flow["nodes"]["main"]["options"]["12"] = "nowhere"
    flow["nodes"]["bye"]["type"] = "teleport"
    flow["closed"] = "missing"
    got = paths(flow)
    assert {"nodes.main.options.12", "nodes.bye.type", "closed"} <= got


def test_play_without_next_and_queue_without_name():
    flow = sample_flow()
    del flow["nodes"]["welcome"]["next"]
    del flow["nodes"]["agent"]["queue"]
    assert {"nodes.welcome.next", "nodes.agent.queue"} <= paths(flow)


def test_yaml_round_trip_keeps_the_flow_and_digit_keys():
    doc = {"hotline": "109", "version": 3, "flow": sample_flow()}
    text = flows.to_yaml([doc])
    assert "Welcome." in text
    back = flows.from_yaml(text)
    assert back == [doc]
    # Hand-written YAML with unquoted menu keys reads them as phone keys, not integers.
    hand = text.replace("'1': status", "1: status")
    assert flows.from_yaml(hand)[0]["flow"]["nodes"]["main"]["options"]["1"] == "status"


@pytest.mark.django_db
def test_saving_makes_versions_and_import_export_round_trip(directory):
    from tawasul.errors import DomainError
    from tawasul.voice import services
    from tawasul.voice.models import IvrFlow

    hotline = directory["h109"]
    first = services.ivr_flow_save(hotline=hotline, definition=sample_flow())
    changed = copy.deepcopy(sample_flow())
    changed["nodes"]["welcome"]["say"]["en"] = "Hello."
    second = services.ivr_flow_save(hotline=hotline, definition=changed)
    assert (first.version, second.version) == (1, 2)
    text = services.ivr_export(numbers=["109"])
    assert "Hello." in text and "version: 2" in text
    # Importing what was exported changes nothing; an edited file makes version 3.
    assert services.ivr_import(text=text)[0].version == 2
    assert services.ivr_import(text=text.replace("Hello.", "Hi."))[0].version == 3
    bad = copy.deepcopy(changed)
    del bad["nodes"]["main"]["timeout"]
    with pytest.raises(DomainError) as err:
        services.ivr_flow_save(hotline=hotline, definition=bad)
    assert err.value.field == "flow.nodes.main.timeout"
    with pytest.raises(DomainError):
        services.ivr_import(text="hotline: 109\nflow: [unclosed")
    assert IvrFlow.objects.filter(hotline=hotline).count() == 3


@pytest.mark.django_db
def test_admin_refuses_an_invalid_flow_and_saves_a_valid_one_as_new_version(directory, people):
    import yaml
    from django.test import Client

    from tawasul.voice.models import IvrFlow

    client = verified_client(people["admin"], Client())
    bad = copy.deepcopy(sample_flow())
    del bad["nodes"]["main"]["invalid"]
    url = "/admin/voice/ivrflow/add/"
    data = {"hotline": directory["h109"].pk, "comment": "", "active": "on"}
    response = client.post(url, {**data, "definition_yaml": yaml.safe_dump(bad)})
    assert response.status_code == 200
    assert "nodes.main.invalid" in response.content.decode()
    response = client.post(url, {**data, "definition_yaml": yaml.safe_dump(sample_flow())})
    assert response.status_code == 302
    assert IvrFlow.objects.get(hotline=directory["h109"]).version == 1


@pytest.mark.django_db
def test_agent_phone_password_is_stored_as_digest_only(people):
    from tawasul.errors import DomainError
    from tawasul.voice import services
    from tawasul.voice.models import VoiceEndpoint

    endpoint = services.voice_endpoint_set(
        user=people["agent"], sip_username="fatima", password="long-enough"
    )
    assert endpoint.ha1 == VoiceEndpoint.digest_ha1("fatima", "tawasul", "long-enough")
    assert "long-enough" not in str(VoiceEndpoint.objects.values().get())
    with pytest.raises(DomainError) as err:
        services.voice_endpoint_set(
            user=people["agent2"], sip_username="fatima", password="long-enough"
        )
    assert err.value.field == "sip_username"


def test_reference_digits():
    from tawasul.voice.selectors import reference_from_digits

    assert reference_from_digits("11112026000042") == "1111-2026-000042"
    assert reference_from_digits("1092026000001") == "109-2026-000001"
    assert reference_from_digits("12") is None
    assert reference_from_digits("12a4567890123") is None


def test_prompts_are_8khz_mono_and_cached(tmp_path, settings):
    import subprocess

    from tawasul.voice import prompts

    settings.TAWASUL_VOICE_DIR = str(tmp_path)
    first = prompts.synthesize("مرحبا بكم", "ar")
    assert prompts.synthesize("مرحبا بكم", "ar") == first
    info = subprocess.run(["soxi", str(first)], capture_output=True, text=True).stdout
    assert "Sample Rate    : 8000" in info and "Channels       : 1" in info
