"""Voice calls: Vietnamese wording, number reading, audio sources, one call at a time."""

from __future__ import annotations

import shutil
import threading
import time
import wave
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from queue_kiosk.announce import (
    Announcement,
    Announcer,
    VoiceSettings,
    chime,
    number_tokens,
    read_number,
    read_wav,
    render_call,
    silence,
)


@pytest.mark.parametrize(("n", "words"), [
    (5, "năm"), (10, "mười"), (15, "mười lăm"), (21, "hai mươi mốt"), (24, "hai mươi tư"),
    (105, "một trăm linh năm"), (110, "một trăm mười"), (999, "chín trăm chín mươi chín"),
    (1001, "một nghìn không trăm linh một"), (1015, "một nghìn không trăm mười lăm"),
    (1100, "một nghìn một trăm"), (2024, "hai nghìn không trăm hai mươi tư"),
])
def test_numbers_read_the_vietnamese_way(n: int, words: str) -> None:
    assert " ".join(read_number(n)) == words


def test_the_call_as_shown_and_as_spoken() -> None:
    call = Announcement("B015", "1")
    assert call.text() == "Xin mời công dân có số thứ tự B015 đến quầy số 1"
    assert call.spoken("digits") == ("Xin mời công dân có số thứ tự bê, không, một, năm, "
                                     "đến quầy số một")
    assert call.spoken("number") == "Xin mời công dân có số thứ tự bê, mười lăm, đến quầy số một"
    assert Announcement("1001", "12").spoken("number") == (
        "Xin mời công dân có số thứ tự một nghìn không trăm linh một, đến quầy số mười hai")


def test_letters_have_vietnamese_names() -> None:
    spoken = [Announcement(f"{p}001", "1").spoken("digits").split(",")[0].split()[-1]
              for p in "ACGHKTV"]
    assert spoken == ["a", "xê", "giê", "hát", "ca", "tê", "vê"]
    assert number_tokens("T007", "digits") == ["letter-T", "không", "không", "bảy"]


def tone(seconds: float) -> bytes:
    return (chime().frames * 4)[: int(seconds * 22050) * 2]


def make_pack(folder: Path, tokens: list[str]) -> None:
    from queue_kiosk.announce import Audio

    folder.mkdir()
    for token in tokens:
        (folder / f"{token}.wav").write_bytes(Audio(tone(0.25)).to_wav())


def test_a_voice_pack_is_used_first(tmp_path: Path) -> None:
    call = Announcement("B015", "1")
    make_pack(tmp_path / "pack", call.tokens("digits"))
    audio, source = render_call(call, VoiceSettings(voice_pack=tmp_path / "pack",
                                                    use_espeak=False, repeat=2))
    assert source == "pack"
    clips = len(call.tokens("digits"))
    assert audio.seconds == pytest.approx(chime().seconds + 0.1 + 0.6 + 2 * (
        0.05 + clips * (0.25 + 0.08)), abs=0.02)


def test_an_incomplete_pack_falls_back(tmp_path: Path) -> None:
    make_pack(tmp_path / "pack", ["intro"])
    _, source = render_call(Announcement("B015", "1"),
                            VoiceSettings(voice_pack=tmp_path / "pack", use_espeak=False))
    assert source == "chime"


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_espeak_speaks_vietnamese_into_a_wav() -> None:
    audio, source = render_call(Announcement("B015", "1"), VoiceSettings(repeat=1))
    assert source == "espeak-ng"
    assert audio.seconds > chime().seconds + 2
    again = read_wav(audio.to_wav())
    assert again.frames == audio.frames


def test_without_any_voice_the_chime_still_sounds() -> None:
    audio, source = render_call(Announcement("B015", "1"), VoiceSettings(use_espeak=False))
    assert source == "chime" and audio.frames == chime().frames


def test_calls_never_overlap_and_keep_their_order() -> None:
    played: list[tuple[str, float, float]] = []
    lock = threading.Lock()

    def slow_player(path: Path) -> None:
        start = time.monotonic()
        size = path.stat().st_size
        time.sleep(0.05)
        with lock:
            played.append((str(size), start, time.monotonic()))

    announcer = Announcer(VoiceSettings(use_espeak=False), slow_player)
    for number in ("B001", "B002", "A003", "C004"):
        announcer.announce(Announcement(number, "1"))
    assert announcer.wait_idle(10)
    announcer.close()
    assert len(played) == 4
    for (_, _, end), (_, start, _) in zip(played, played[1:], strict=False):
        assert start >= end


def test_muted_or_without_a_device_nothing_breaks() -> None:
    calls: list[Path] = []
    muted = Announcer(VoiceSettings(use_espeak=False), calls.append, mute=True)
    muted.announce(Announcement("B001", "1"))
    assert muted.wait_idle(5) and calls == []
    muted.close()

    def broken(path: Path) -> None:
        raise OSError("no sound card")
    failing = Announcer(VoiceSettings(use_espeak=False), broken)
    failing.announce(Announcement("B001", "1"))
    failing.announce(Announcement("B002", "1"))
    assert failing.wait_idle(5)
    failing.close()


def test_silence_is_silent() -> None:
    assert set(silence(0.01).frames) == {0}


def test_a_call_nobody_can_hear_is_reported_once_and_clears() -> None:
    failures = [True]

    def flaky(path: Path) -> None:
        if failures[0]:
            raise OSError("no sound card")
    announcer = Announcer(VoiceSettings(use_espeak=False), flaky)
    assert announcer.problem is None
    announcer.announce(Announcement("B001", "1"))
    assert announcer.wait_idle(5) and announcer.problem == "no sound card"
    failures[0] = False
    announcer.announce(Announcement("B002", "1"))
    assert announcer.wait_idle(5) and announcer.problem is None
    announcer.close()


def test_without_any_player_the_problem_is_known_from_the_start(monkeypatch: Any) -> None:
    from queue_kiosk import announce

    monkeypatch.setattr(announce, "system_player", lambda: None)
    assert Announcer(VoiceSettings(use_espeak=False)).problem is not None
    assert Announcer(VoiceSettings(use_espeak=False), mute=True).problem is None


def test_the_southern_reading_says_le_and_ngan() -> None:
    assert " ".join(read_number(1005, "south")) == "một ngàn không trăm lẻ năm"
    assert " ".join(read_number(1005)) == "một nghìn không trăm linh năm"
    assert Announcement("1105", "2").spoken("number", "south").endswith(
        "một ngàn một trăm lẻ năm, đến quầy số hai")


def test_a_voice_pack_is_found_whatever_the_normalisation_of_its_names(tmp_path: Path) -> None:
    import unicodedata

    call = Announcement("B015", "1")
    folder = tmp_path / "pack"
    folder.mkdir()
    from queue_kiosk.announce import Audio

    for token in call.tokens("digits"):  # as a Mac writes them: decomposed
        name = unicodedata.normalize("NFD", token)
        (folder / f"{name}.wav").write_bytes(Audio(tone(0.25)).to_wav())
    _, source = render_call(call, VoiceSettings(voice_pack=folder, use_espeak=False))
    assert source == "pack"


def test_calls_that_queue_up_are_said_once_each(tmp_path: Path) -> None:
    """A burst (ten counters calling together): the calls behind the first are not repeated,
    so the last is heard in half the time; a call alone is still said twice."""
    calls = [Announcement(f"B{n:03d}", str(n % 5 + 1)) for n in range(1, 11)]
    make_pack(tmp_path / "pack", sorted({t for c in calls for t in c.tokens("digits")}))
    settings = VoiceSettings(voice_pack=tmp_path / "pack", use_espeak=False, repeat=2)
    lengths: list[float] = []
    gate = threading.Event()

    def player(path: Path) -> None:
        gate.wait(5)  # the whole burst is queued before the first call plays
        with wave.open(str(path)) as audio:
            lengths.append(audio.getnframes() / audio.getframerate())

    announcer = Announcer(settings, player)
    for call in calls:
        announcer.announce(call)
    gate.set()
    assert announcer.wait_idle(10)
    once, twice = (render_call(calls[-1], replace(settings, repeat=r))[0].seconds
                   for r in (1, 2))
    assert twice > once + 0.5
    # Every call with others waiting behind it is said once; the last of the burst, alone
    # by then, twice.
    assert lengths == [pytest.approx(once, abs=0.01)] * 9 + [pytest.approx(twice, abs=0.01)]
    announcer.close()
