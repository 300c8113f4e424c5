"""Prompts per language: Tagalog is spoken (espeak-ng has no Tagalog voice; the Indonesian one
reads it), recordings still override, and a Tagalog caller hears Tagalog over real SIP."""

from __future__ import annotations

import subprocess
import time

import pytest

from tawasul.interactions.models import Interaction
from tests.voice.sip import Caller, soxi

TAGALOG = "Maghintay po sandali, may ahenteng sasagot sa inyo."


@pytest.fixture
def voice_data(settings, voice_dir):
    settings.TAWASUL_VOICE_DIR = str(voice_dir)
    return voice_dir


def test_tagalog_is_spoken_with_an_installed_voice(voice_data):
    from tawasul.voice import prompts

    voices = subprocess.run(["espeak-ng", "--voices"], capture_output=True, text=True).stdout
    installed = {line.split()[1] for line in voices.splitlines()[1:] if line.split()}
    assert "tl" not in installed and "fil" not in installed  # why a stand-in voice is needed
    assert prompts.VOICES["tl"] in installed
    tagalog = prompts.synthesize(TAGALOG, "tl")
    english_voice = prompts.synthesize(TAGALOG, "en")
    assert tagalog.exists() and tagalog != english_voice
    assert tagalog.read_bytes() != english_voice.read_bytes()
    assert (soxi(tagalog, "-r"), soxi(tagalog, "-c")) == ("8000", "1")  # telephone audio
    assert float(soxi(tagalog, "-D")) > 1.0  # it says something
    assert prompts.synthesize(TAGALOG, "fil") == tagalog  # Filipino is the same voice


def test_gateway_prompts_have_tagalog_text():
    from tawasul.residents.texts import TEXTS
    from tawasul.voice.ivr import AGENT_NOTICES, system_text

    text, lang = system_text("hold", "tl")
    assert (text, lang) == (TAGALOG, "tl")
    assert all("tl" in TEXTS[key] for key in TEXTS)  # every resident text, see test_resident_texts
    # The agent-only notices on call-backs are in the center's languages; other texts in a
    # language without them fall back to the hotline's first language, then Arabic.
    assert system_text("callback_unreached", "tl")[1] == "en"
    assert set(AGENT_NOTICES) == {"callback_agent", "callback_unreached"}
    assert system_text("hold", "ml")[1] == "ml"
    assert system_text("hold", "ta", fallbacks=["en"])[1] == "en"


def test_a_recording_replaces_the_tagalog_prompt(voice_data, directory, tmp_path):
    from django.core.files.base import ContentFile

    from tawasul.voice import prompts
    from tawasul.voice.ivr import Ctx
    from tawasul.voice.models import RecordedPrompt

    hotline = directory["h109"]
    ctx = Ctx(
        gateway=None, call=None, hotline=hotline, flow={}, interaction=None,
        languages=["ar", "en", "tl"], language="tl",
    )  # fmt: skip
    say = {"en": "Welcome.", "tl": "Maligayang pagdating."}
    assert ctx.say_files("welcome", say) == [prompts.synthesize("Maligayang pagdating.", "tl")]
    assert ctx.say_files("welcome", {"en": "Welcome."}) == [prompts.synthesize("Welcome.", "en")]
    wav = tmp_path / "rec.wav"
    subprocess.run(
        ["sox", "-n", "-r", "16000", "-c", "1", str(wav), "synth", "1", "sine", "300"], check=True
    )
    row = RecordedPrompt(hotline=hotline, node="welcome", language="tl")
    row.audio.save("welcome-tl.wav", ContentFile(wav.read_bytes()))
    recorded = ctx.say_files("welcome", say)
    assert recorded == [prompts.recorded(row.audio.path)]
    assert soxi(recorded[0], "-r") == "8000"


@pytest.mark.timeout(120)
def test_a_tagalog_caller_hears_tagalog(gateway, line, tmp_path):
    from tawasul.directory.models import Language
    from tawasul.voice import prompts
    from tawasul.voice.ivr import system_text

    tagalog = Language.objects.create(
        code="tl", name_en="Tagalog", name_ar="التاغالوغية", native_name="Tagalog"
    )
    line.languages.add(tagalog)
    played: list[str] = []
    real_send = gateway.send

    def watch(worker: str, command: dict) -> None:  # the real commands, observed on the way
        if command["cmd"] == "play":
            played.extend(command["files"])
        real_send(worker, command)

    gateway.send = watch
    # ar = 1, en = 2, tl = 3; then no key at the menu (twice) and the flow says sorry.
    # The caller listens to the language menu (welcome, then the choices) before pressing 3.
    sipp = Caller(tmp_path).pause(2500).dtmf("3").wait_bye(30000).start(gateway.sip_port, "109")
    assert sipp.wait() == 0, sipp.errors_text()
    deadline = time.monotonic() + 10
    while not Interaction.objects.filter(ended_at__isnull=False).exists():
        assert time.monotonic() < deadline
        time.sleep(0.1)
    call = Interaction.objects.get()
    assert call.language == "tl" and call.ivr_path[:2] == ["welcome", "language:tl"]
    choice = prompts.synthesize(system_text("lang_choice", "tl", digit="3")[0], "tl")
    no_input = prompts.synthesize(system_text("no_input", "tl")[0], "tl")
    assert str(choice) in played and str(no_input) in played


def test_arabic_and_english_keep_keys_1_and_2(directory):
    from tawasul.directory.models import Language
    from tawasul.voice.selectors import hotline_languages

    hotline = directory["h109"]
    for code, name in (("bn", "Bengali"), ("tl", "Tagalog"), ("fr", "French")):
        hotline.languages.add(
            Language.objects.create(code=code, name_en=name, name_ar=name, native_name=name)
        )
    # The order of the language menu (docs: "press 2 for English" on every hotline).
    assert hotline_languages(hotline=hotline) == ["ar", "en", "bn", "fr", "tl"]
    hotline.languages.clear()
    assert hotline_languages(hotline=hotline) == ["ar", "en"]
