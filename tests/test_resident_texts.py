"""What residents read and hear, in every language a demo hotline offers.

The texts live in one module (``tawasul.residents.texts``); these tests check that none is
missing or broken in any hotline language, that the IVR reads a case status and a reference
in the caller's language (espeak-ng, digit by digit), and that mixed scripts in plain-text
messages are isolated.
"""

from __future__ import annotations

import subprocess

import pytest

from tawasul.directory.demo_data import HOTLINES, LANGUAGES
from tawasul.residents import texts
from tests.voice.sip import soxi

HOTLINE_LANGUAGES = sorted({code for hotline in HOTLINES for code in hotline["languages"]})
FSI, PDI = "\u2068", "\u2069"


def test_every_hotline_language_has_every_text_with_the_english_placeholders():
    assert set(HOTLINE_LANGUAGES) == {language["code"] for language in LANGUAGES}
    assert set(HOTLINE_LANGUAGES) <= set(texts.LANGUAGES)
    problems = []
    for key, by_language in texts.TEXTS.items():
        wanted = texts.placeholders(by_language["en"])
        for code in HOTLINE_LANGUAGES:
            text = by_language.get(code, "")
            if not text.strip():
                problems.append(f"{key}: no {code} text")
            elif texts.placeholders(text) != wanted:
                problems.append(f"{key}/{code}: {texts.placeholders(text)} != {wanted}")
            elif code != "en" and text == by_language["en"] and "{" not in text:
                problems.append(f"{key}/{code}: still the English text")
    assert problems == []


def test_fallback_is_the_residents_then_the_hotlines_then_arabic_then_english():
    texts.TEXTS["_test"] = {"en": "Hello", "ar": "مرحبا", "ml": "നമസ്കാരം"}
    try:
        assert texts.language_for("_test", "ml", ["ur", "en"]) == "ml"
        assert texts.language_for("_test", "ta", ["ml", "en"]) == "ml"  # the hotline's first
        assert texts.language_for("_test", "ta", ["ur"]) == "ar"
        assert texts.language_for("_test", None) == "ar"
        del texts.TEXTS["_test"]["ar"]
        assert texts.language_for("_test", "ta", ["ur"]) == "en"
    finally:
        del texts.TEXTS["_test"]


def test_references_are_isolated_in_right_to_left_texts_and_english_sms_stays_gsm():
    ref = "107-2026-000042"
    urdu, lang = texts.written("ack.new", "ur", reference=ref)
    assert lang == "ur" and f"{FSI}{ref}{PDI}" in urdu and "حوالہ نمبر" in urdu
    arabic, _lang = texts.written("otp", "ar", reference=ref, code="123456", minutes=10)
    assert f"{FSI}123456{PDI}" in arabic and f"{FSI}{ref}{PDI}" in arabic
    english, _lang = texts.written("ack.new", "en", reference=ref)
    assert english.isascii(), "no isolates in an English SMS: it stays in the GSM alphabet"
    # An Arabic value inside a left-to-right sentence is isolated too.
    hindi, _lang = texts.written("ack.added", "hi", reference="بلاغ ٤٢")
    assert f"{FSI}بلاغ ٤٢{PDI}" in hindi
    assert texts.written("ack.new", "xx", reference=ref)[1] == "ar"


def test_spoken_references_are_read_digit_by_digit_in_the_callers_language():
    ref = "1111-2026-000042"
    english, _lang = texts.spoken("case_status", "en", reference=ref, status="Resolved")
    assert "1 1 1 1, 2 0 2 6, 0 0 0 0 4 2" in english and FSI not in english
    nepali, _lang = texts.spoken("case_status", "ne", reference=ref, status="समाधान भयो")
    assert "१ १ १ १, २ ० २ ६, ० ० ० ० ४ २" in nepali
    tagalog, _lang = texts.spoken("position", "tl", position=12, minutes=3)
    assert "labindalawa" in tagalog and "tatlo" in tagalog and "12" not in tagalog
    assert texts.tagalog_number(21) == "dalawampu't isa"
    assert texts.tagalog_number(305) == "tatlong daan at lima"
    assert texts.spell_digits("") == ""
    one, _lang = texts.spoken("position_one_minute", "fr", position=2)
    assert one.endswith("d'environ une minute.") and "2" in one


def _espeak_phonemes(text: str, voice: str) -> str:
    return subprocess.run(
        ["espeak-ng", "-q", "-x", "-v", voice, text], capture_output=True, text=True, check=True
    ).stdout


def test_espeak_reads_each_language_with_its_own_voice_not_english():
    from tawasul.voice import prompts

    voices = subprocess.run(["espeak-ng", "--voices"], capture_output=True, text=True).stdout
    installed = {line.split()[1] for line in voices.splitlines()[1:] if line.split()}
    for code in HOTLINE_LANGUAGES:
        voice = prompts.VOICES[code]
        assert voice in installed, f"{code}: espeak-ng has no {voice} voice"
        text, lang = texts.spoken(
            "case_status", code, reference="109-2026-000042", status=texts.TEXTS[
                "status.in_progress"][code],
        )  # fmt: skip
        assert lang == code
        phonemes = _espeak_phonemes(text, voice)
        # espeak-ng marks words it reads with another language's rules, e.g. "(en)".
        if code != "en":
            assert "(en)" not in phonemes, f"{code} reads part of the status in English"


@pytest.fixture
def voice_data(settings, tmp_path_factory):
    path = tmp_path_factory.mktemp("resident-texts-voice")
    settings.TAWASUL_VOICE_DIR = str(path)
    return path


def test_a_prompt_in_each_language_is_telephone_audio(voice_data):
    from tawasul.voice import prompts
    from tawasul.voice.ivr import system_text

    made = set()
    for code in HOTLINE_LANGUAGES:
        text, lang = system_text("lang_choice", code, digit="3")
        assert lang == code
        wav = prompts.synthesize(text, lang)
        assert (soxi(wav, "-r"), soxi(wav, "-c")) == ("8000", "1")
        assert float(soxi(wav, "-D")) > 0.5, f"{code}: the prompt says something"
        made.add(wav.read_bytes())
    assert len(made) == len(HOTLINE_LANGUAGES)


def test_the_case_status_is_read_back_in_urdu_and_tagalog(directory):
    from tawasul.cases.models import Case
    from tawasul.voice.ivr import system_text
    from tawasul.voice.selectors import case_status_by_digits

    hotline = directory["h109"]
    case = Case.objects.create(
        reference="109-2026-000042",
        kind="complaint",
        status="awaiting_resident",
        entity=hotline.entities.first(),
        hotline=hotline,
        subject="Streetlight",
    )
    digits = "1092026000042"
    assert case_status_by_digits(digits=digits, language="ur") == (
        case.reference,
        "آپ کی طرف سے معلومات کا انتظار ہے",
    )
    reference, status = case_status_by_digits(digits=digits, language="tl")
    assert status == "Hinihintay ang impormasyon mula sa inyo"
    said, lang = system_text("case_status", "tl", reference=reference, status=status)
    assert lang == "tl"
    assert said == (
        "Ang katayuan ng kaso isa sero siyam, dalawa sero dalawa anim, "
        "sero sero sero sero apat dalawa ay: Hinihintay ang impormasyon mula sa inyo."
    )
    # A language without texts falls back to the hotline's first language.
    assert case_status_by_digits(digits=digits, language="ta", fallbacks=["ar", "en"])[1] == (
        "بانتظار معلومات منكم"
    )
    assert case_status_by_digits(digits="1092026999999", language="ur") is None


def test_agent_notices_stay_in_the_centers_languages():
    from tawasul.voice.ivr import system_text

    text, lang = system_text("callback_agent", "ur", hotline="109")
    assert lang == "en" and "1 0 9" in text
    assert system_text("callback_unreached", "ar")[1] == "ar"


def test_every_demo_flow_prompt_is_in_every_language_of_its_hotline():
    from tawasul.voice.demo import demo_flows

    flows = demo_flows()
    missing = []
    for hotline in HOTLINES:
        flow = flows.get(hotline["number"])
        for name, node in (flow or {}).get("nodes", {}).items():
            for code in hotline["languages"]:
                if node.get("say") and not node["say"].get(code, "").strip():
                    missing.append(f"{hotline['number']}/{name}/{code}")
    assert missing == []


def test_numbers_in_any_nepali_prompt_are_read_in_nepali(voice_data):
    from tawasul.voice import prompts

    welcome = "सरकारी सम्पर्क केन्द्र 109 मा यहाँलाई स्वागत छ।"
    assert "(en)" in _espeak_phonemes(welcome, "ne"), "why Latin digits are converted"
    assert prompts.synthesize(welcome, "ne") == prompts.synthesize(
        "सरकारी सम्पर्क केन्द्र १०९ मा यहाँलाई स्वागत छ।", "ne"
    )
    assert "(en)" not in _espeak_phonemes(texts.for_voice(welcome, "ne"), "ne")


def test_a_procedure_without_a_text_in_the_callers_language_is_read_by_its_own_voice(directory):
    from tawasul.directory.models import Service
    from tawasul.voice.selectors import procedure_text

    service = Service.objects.first()
    service.procedure_en, service.procedure_ar = "Bring your card.", "أحضر بطاقتك."
    service.save()
    assert procedure_text(service_code=service.code, language="ur") == ("Bring your card.", "en")
    assert procedure_text(service_code=service.code, language="ar") == ("أحضر بطاقتك.", "ar")
    service.procedure_en = ""
    service.save()
    assert procedure_text(service_code=service.code, language="ur") == ("أحضر بطاقتك.", "ar")
    assert procedure_text(service_code="no-such-service", language="ur") is None
