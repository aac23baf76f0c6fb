"""Voice calls: Vietnamese wording, number reading, audio sources, one call at a time."""

from __future__ import annotations

import logging
import shutil
import threading
import time
import wave
from pathlib import Path
from typing import Any

import pytest

from queue_kiosk.voice.announce import (
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
    from queue_kiosk.voice.announce import Audio

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


def test_calls_never_overlap_and_keep_their_order(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="queue_kiosk.voice.announce")
    played: list[tuple[float, float]] = []

    def slow_player(path: Path) -> None:
        start = time.monotonic()
        time.sleep(0.05)
        played.append((start, time.monotonic()))

    announcer = Announcer(VoiceSettings(use_espeak=False), slow_player)
    for number in ("B001", "B002", "A003", "C004"):
        announcer.announce(Announcement(number, "1"))
        time.sleep(0.02)  # some arrive while another plays, some together
    assert announcer.wait_idle(10)
    announcer.close()
    assert played
    for (_, end), (start, _) in zip(played, played[1:], strict=False):
        assert start >= end
    assert [number for number, _ in heard(caplog.records)] == ["B001", "B002", "A003", "C004"]


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
    from queue_kiosk.voice import announce

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
    from queue_kiosk.voice.announce import Audio

    for token in call.tokens("digits"):  # as a Mac writes them: decomposed
        name = unicodedata.normalize("NFD", token)
        (folder / f"{name}.wav").write_bytes(Audio(tone(0.25)).to_wav())
    _, source = render_call(call, VoiceSettings(voice_pack=folder, use_espeak=False))
    assert source == "pack"


CLIP_SECONDS = {"intro": 1.9, "to-counter": 0.7, "see-screen": 2.5}
"""About espeak-ng's lengths at the voice's speed; letters and digits take 0.35 s."""


class Hall:
    """A hall on a virtual clock: playing a file advances it by the file's length, and the
    calls due meanwhile reach the announcer at their own moments. The announcer's log says
    when each call's voice started."""

    def __init__(self, tmp_path: Path, arrivals: list[tuple[float, Announcement]],
                 max_delay: float = 10) -> None:
        from queue_kiosk.voice.announce import Audio

        folder = tmp_path / "pack"
        folder.mkdir(parents=True)
        tokens = {t for _, c in arrivals for t in c.tokens("digits")} | {"see-screen"}
        for token in tokens:
            length = CLIP_SECONDS.get(token, 0.35)
            (folder / f"{token}.wav").write_bytes(Audio(tone(length)).to_wav())
        self.now = 0.0
        self.played: list[float] = []
        self.arrivals = sorted(arrivals, key=lambda a: a[0])
        self.lock = threading.Lock()
        self.announcer = Announcer(VoiceSettings(voice_pack=folder, use_espeak=False,
                                                 repeat=2, max_delay=max_delay),
                                   self.play, clock=lambda: self.now)

    def arrive(self, until: float) -> None:
        with self.lock:
            while self.arrivals and self.arrivals[0][0] <= until:
                when, call = self.arrivals.pop(0)
                self.now = max(self.now, when)
                self.announcer.announce(call)

    def play(self, path: Path) -> None:
        with wave.open(str(path)) as audio:
            self.played.append(audio.getnframes() / audio.getframerate())
        end = self.now + self.played[-1]
        self.arrive(end)
        self.now = end

    def run(self) -> None:
        self.arrive(0.0)
        while True:  # the hall falls silent: jump to the next call
            assert self.announcer.wait_idle(10)
            with self.lock:
                if not self.arrivals:
                    break
                next_call = self.arrivals[0][0]
            self.arrive(next_call)
        self.announcer.close()


def heard(records: list[logging.LogRecord]) -> list[tuple[str, float | None]]:
    """(number, seconds from the call to its voice; None: left to the screen), in order."""
    out: list[tuple[str, float | None]] = []
    for record in records:
        message = record.getMessage()
        number = message.split()[1]
        if "left to the screen" in message:
            out.append((number, None))
        elif " said " in message:
            out.append((number, float(message.split(" said ")[1].split()[0])))
    return out


BURST = [Announcement(f"B{n:03d}", str(n)) for n in range(1, 11)]


@pytest.mark.parametrize("arrivals", [
    [(0.0, call) for call in BURST],  # ten counters call in the same second
    [(0.0, BURST[0])] + [(3.0, call) for call in BURST[1:]],  # while the first is said
    [(0.8 * n, call) for n, call in enumerate(BURST)],  # one every 0.8 s
], ids=["together", "during-a-call", "staggered"])
def test_a_burst_of_calls_is_heard_within_ten_seconds(
        tmp_path: Path, caplog: pytest.LogCaptureFixture,
        arrivals: list[tuple[float, Announcement]]) -> None:
    """Each call's voice starts at most 10 s after the call (before: the tenth of ten after
    65 s, each said once; 124 s said twice); what a burst cannot say in time is shown, and
    the hall hears "Các số tiếp theo, xin mời theo dõi trên màn hình" in its place."""
    caplog.set_level(logging.INFO, logger="queue_kiosk.voice.announce")
    hall = Hall(tmp_path, arrivals)
    hall.run()
    calls = heard(caplog.records)
    assert [number for number, _ in calls] == [c.number for c in BURST]  # each once, in order
    said = [delay for _, delay in calls if delay is not None]
    assert said and max(said) <= 10.0
    assert said[0] < 2.5  # the first is said at once, after the chime
    assert len(said) >= 3  # as many as fit in the 10 s: 1.2, 6.5 and 9.7 s for ten at once


def test_every_call_is_said_when_the_hall_chooses_no_limit(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="queue_kiosk.voice.announce")
    Hall(tmp_path, [(0.0, call) for call in BURST], max_delay=0).run()
    calls = heard(caplog.records)
    assert [number for number, _ in calls] == [c.number for c in BURST]
    assert all(delay is not None for _, delay in calls)
    # Once each, one after the other in a breath: the tenth within a minute (65 s before).
    assert calls[-1][1] is not None and calls[-1][1] < 40


def test_a_call_alone_is_said_twice_and_the_repeat_gives_way(tmp_path: Path) -> None:
    alone = Hall(tmp_path / "alone", [(0.0, BURST[0])])
    alone.run()
    assert len(alone.played) == 2  # the call, then its repeat
    busy = Hall(tmp_path / "busy", [(0.0, BURST[0]), (1.0, BURST[1])])
    busy.run()
    # B001 once (B002 was waiting), then B002, alone by then, and its repeat.
    assert len(busy.played) == 3 and busy.played[0] > busy.played[1]
