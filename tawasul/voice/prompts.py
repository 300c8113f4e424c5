"""Prompts as 8 kHz mono WAV: synthesized with espeak-ng per language, cached by content, or
an administrator's recording (converted with sox) that replaces the synthesized one."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tawasul.residents.texts import for_voice
from tawasul.voice import conf

# espeak-ng voices for the center's languages (checked with `espeak-ng --voices` on Debian 12):
# it has Arabic, English, Urdu, Hindi, Malayalam, Bengali, Nepali, Tamil, Persian and French.
# It has no Tagalog/Filipino voice. Tagalog is written in the Latin script and read as it is
# spelled, with the five vowels and the consonants of Indonesian/Malay, so the Indonesian
# voice reads Tagalog text well (its numbers are written out in Tagalog words first, see
# tawasul.residents.texts.for_voice, as the Nepali voice gets Devanagari digits); a recording
# an administrator uploads still replaces it.
VOICES = {
    "tl": "id",
    "fil": "id",
    "ar": "ar",
    "en": "en-gb",
    "ur": "ur",
    "hi": "hi",
    "ml": "ml",
    "bn": "bn",
    "ne": "ne",
    "ta": "ta",
    "fa": "fa",
    "fr": "fr-fr",
}
FALLBACK_VOICE = "en-gb"


def cache_dir() -> Path:
    path = conf.data_dir() / "prompts"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _to_telephone_wav(source: Path, target: Path) -> None:
    # Write to a temporary name and rename: several workers may ask for the same prompt.
    fd, tmp = tempfile.mkstemp(suffix=".wav", dir=target.parent)
    os.close(fd)
    try:
        subprocess.run(
            ["sox", str(source), "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer", tmp],
            check=True,
            capture_output=True,
            timeout=60,
        )
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def synthesize(text: str, language: str) -> Path:
    """The prompt ``text`` spoken in ``language``, as a cached 8 kHz mono 16-bit WAV."""
    voice = VOICES.get(language, FALLBACK_VOICE)
    text = for_voice(text, language)
    key = hashlib.sha256(f"{voice}\n{text}".encode()).hexdigest()[:32]
    target = cache_dir() / f"{key}.wav"
    if target.exists():
        return target
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.wav"
        subprocess.run(
            ["espeak-ng", "-v", voice, "-s", "150", "-w", str(raw), text],
            check=True,
            capture_output=True,
            timeout=60,
        )
        _to_telephone_wav(raw, target)
    return target


def silence(ms: int) -> Path:
    """A short silence (used between prompts and as a pause)."""
    target = cache_dir() / f"silence-{ms}.wav"
    if not target.exists():
        fd, tmp = tempfile.mkstemp(suffix=".wav", dir=target.parent)
        os.close(fd)
        subprocess.run(
            ["sox", "-n", "-r", "8000", "-c", "1", "-b", "16", tmp, "trim", "0", f"{ms / 1000}"],
            check=True,
            capture_output=True,
        )
        os.replace(tmp, target)
    return target


def hold_audio() -> Path:
    """Hold audio: a soft two-tone chime, made once with sox (no third-party music)."""
    target = cache_dir() / "hold.wav"
    if not target.exists():
        fd, tmp = tempfile.mkstemp(suffix=".wav", dir=target.parent)
        os.close(fd)
        subprocess.run(
            [
                "sox",
                "-n",
                "-r",
                "8000",
                "-c",
                "1",
                "-b",
                "16",
                tmp,
                "synth",
                "0.6",
                "sine",
                "523",
                "sine",
                "659",
                "vol",
                "0.15",
                "pad",
                "0",
                "1.4",
                "repeat",
                "2",
            ],
            check=True,
            capture_output=True,
        )
        os.replace(tmp, target)
    return target


def recorded(path: str | os.PathLike) -> Path:
    """An uploaded recording converted once to the telephone format."""
    source = Path(path)
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:32]
    target = cache_dir() / f"rec-{digest}.wav"
    if not target.exists():
        _to_telephone_wav(source, target)
    return target


def available() -> bool:
    return bool(shutil.which("espeak-ng") and shutil.which("sox"))
