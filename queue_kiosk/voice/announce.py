"""Provides voice calls: the Vietnamese announcement text, its audio (voice pack, espeak-ng,
or the chime alone), and a queue that plays one call at a time.

Voice pack layout (a folder of WAV files, all with the same format; record your own voice):
    intro.wav        "Xin mời công dân có số thứ tự"
    to-counter.wav   "đến quầy số"
    letter-A.wav …   one per letter used by ticket prefixes ("a", "bê", "xê", …)
    không.wav một.wav hai.wav ba.wav bốn.wav năm.wav sáu.wav bảy.wav tám.wav chín.wav
    mười.wav mươi.wav trăm.wav nghìn.wav linh.wav mốt.wav lăm.wav tư.wav
    chime.wav        optional, replaces the built-in chime
    see-screen.wav   optional, "Các số tiếp theo, xin mời theo dõi trên màn hình" (said when
                     a burst of calls is more than the voice can say in time)
"""

from __future__ import annotations

import io
import logging
import math
import queue
import shutil
import struct
import subprocess
import tempfile
import threading
import time
import wave
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from queue_kiosk.config.devices import DisplayConfig
from queue_kiosk.domain.errors import Refused
from queue_kiosk.domain.text import nfc

if TYPE_CHECKING:
    from queue_kiosk.config.devices import DisplayConfig

log = logging.getLogger(__name__)

DIGIT_WORDS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
LETTER_NAMES = {
    "A": "a", "B": "bê", "C": "xê", "D": "dê", "Đ": "đê", "E": "e", "F": "ép", "G": "giê",
    "H": "hát", "I": "i", "J": "gi", "K": "ca", "L": "e-lờ", "M": "em-mờ", "N": "en-nờ",
    "O": "o", "P": "pê", "Q": "quy", "R": "e-rờ", "S": "ét-sì", "T": "tê", "U": "u",
    "V": "vê", "W": "vê kép", "X": "ích-xì", "Y": "i dài", "Z": "dét",
}
INTRO = "Xin mời công dân có số thứ tự"
TO_COUNTER = "đến quầy số"
SEE_SCREEN = "Các số tiếp theo, xin mời theo dõi trên màn hình"
NumberStyle = Literal["digits", "number"]
Reading = Literal["north", "south"]
SOUTHERN = {"linh": "lẻ", "nghìn": "ngàn"}
"""Where the south reads a number differently: 105 "một trăm lẻ năm", 1000 "một ngàn"."""
SAMPLE_RATE = 22050


def read_number(n: int, reading: Reading = "north") -> list[str]:
    """A number as Vietnamese words: 15 → mười lăm, 1001 → một nghìn không trăm linh một
    (in the south: một ngàn không trăm lẻ một)."""
    words = _read(n)
    return [SOUTHERN.get(w, w) for w in words] if reading == "south" else words


def _read(n: int) -> list[str]:
    if n < 0 or n >= 1_000_000:
        raise ValueError(f"cannot read {n}")
    if n == 0:
        return ["không"]
    thousands, rest = divmod(n, 1000)
    words = _group(thousands, leading=True) + ["nghìn"] if thousands else []
    if rest:
        words += _group(rest, leading=not thousands)
    return words


def _group(n: int, leading: bool) -> list[str]:
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if hundreds or not leading:
        words += [DIGIT_WORDS[hundreds], "trăm"]
    if tens == 0:
        if units:
            words += (["linh"] if words else []) + [DIGIT_WORDS[units]]
        return words
    words += ["mười"] if tens == 1 else [DIGIT_WORDS[tens], "mươi"]
    if units == 1 and tens >= 2:
        words.append("mốt")
    elif units == 5:
        words.append("lăm")
    elif units == 4 and tens >= 2:
        words.append("tư")
    elif units:
        words.append(DIGIT_WORDS[units])
    return words


def number_tokens(number: str, style: NumberStyle, reading: Reading = "north") -> list[str]:
    """What is said for a ticket number: letters by their Vietnamese names, then the digits
    one by one (bê, không, một, năm) or as a number (bê, mười lăm)."""
    letters = [f"letter-{c}" for c in number if not c.isdigit()]
    digits = "".join(c for c in number if c.isdigit())
    if style == "digits":
        return letters + [DIGIT_WORDS[int(d)] for d in digits]
    return letters + (read_number(int(digits), reading) if digits else [])


def counter_tokens(counter: str, reading: Reading = "north") -> list[str]:
    return read_number(int(counter), reading) if counter.isdigit() else [
        f"letter-{c}" for c in counter.upper()]


@dataclass(frozen=True)
class Announcement:
    number: str
    counter: str

    def tokens(self, style: NumberStyle, reading: Reading = "north", *,
               intro: bool = True) -> list[str]:
        return [*(["intro"] if intro else []), *number_tokens(self.number, style, reading),
                "to-counter", *counter_tokens(self.counter, reading)]

    def text(self) -> str:
        """As shown on screen: Xin mời công dân có số thứ tự B015 đến quầy số 1."""
        return f"{INTRO} {self.number} {TO_COUNTER} {self.counter}"

    def spoken(self, style: NumberStyle, reading: Reading = "north", *,
               intro: bool = True) -> str:
        """As given to a speech engine: letters and digit-by-digit readings are separated by
        short pauses; a number read as a whole stays one phrase. Without the intro, a call
        that follows another in the same breath ("…, bê, không, một, sáu, đến quầy số hai")."""
        names = [LETTER_NAMES.get(c, c) for c in self.number if not c.isdigit()]
        digits = "".join(c for c in self.number if c.isdigit())
        if style == "digits":
            number = ", ".join(names + [DIGIT_WORDS[int(d)] for d in digits])
        else:
            number = ", ".join(names + ([" ".join(read_number(int(digits), reading))]
                                        if digits else []))
        counter = " ".join(read_number(int(self.counter), reading)) if self.counter.isdigit() \
            else ", ".join(LETTER_NAMES.get(c, c) for c in self.counter.upper())
        return nfc(f"{INTRO + ' ' if intro else ''}{number}, {TO_COUNTER} {counter}")


# ----- audio ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Audio:
    """Mono 16-bit PCM."""

    frames: bytes
    rate: int = SAMPLE_RATE

    @property
    def seconds(self) -> float:
        return len(self.frames) / 2 / self.rate

    def to_wav(self) -> bytes:
        out = io.BytesIO()
        with wave.open(out, "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(self.rate)
            wav.writeframes(self.frames)
        return out.getvalue()

    def __add__(self, other: Audio) -> Audio:
        return Audio(self.frames + other.resampled(self.rate).frames, self.rate)

    def resampled(self, rate: int) -> Audio:
        if rate == self.rate:
            return self
        samples = struct.unpack(f"<{len(self.frames) // 2}h", self.frames)
        count = int(len(samples) * rate / self.rate)
        picked = [samples[min(len(samples) - 1, int(i * self.rate / rate))]
                  for i in range(count)]
        return Audio(struct.pack(f"<{count}h", *picked), rate)


def silence(seconds: float, rate: int = SAMPLE_RATE) -> Audio:
    return Audio(b"\x00\x00" * int(seconds * rate), rate)


def chime(rate: int = SAMPLE_RATE) -> Audio:
    """A soft two-note "ding-dong" that makes the hall look up before the number is said."""
    frames = bytearray()
    for freq, length in ((880.0, 0.35), (659.25, 0.55)):
        count = int(length * rate)
        for i in range(count):
            envelope = math.exp(-4.0 * i / count)
            value = int(12000 * envelope * math.sin(2 * math.pi * freq * i / rate))
            frames += struct.pack("<h", value)
    return Audio(bytes(frames), rate) + silence(0.2, rate)


def read_wav(data: bytes) -> Audio:
    with wave.open(io.BytesIO(data), "rb") as wav:
        if wav.getsampwidth() != 2:
            raise ValueError("voice clips must be 16-bit PCM")
        frames = wav.readframes(wav.getnframes())
        if wav.getnchannels() == 2:
            samples = struct.unpack(f"<{len(frames) // 2}h", frames)
            frames = struct.pack(f"<{len(samples) // 2}h", *samples[::2])
        return Audio(frames, wav.getframerate())


class VoicePack:
    """Recorded clips, one per token; missing clips make the pack unusable for that call."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        # By the name's NFC form: a folder copied from a Mac (NFD names) or typed on Windows
        # names "một.wav" with other bytes for the same letters.
        self.files = {nfc(path.stem): path for path in folder.glob("*.wav")} \
            if folder.is_dir() else {}

    def clip(self, token: str) -> Audio | None:
        path = self.files.get(nfc(token))
        return read_wav(path.read_bytes()) if path is not None else None

    def speak(self, tokens: list[str]) -> Audio | None:
        clips = [self.clip(t) for t in tokens]
        if any(c is None for c in clips):
            missing = [t for t, c in zip(tokens, clips, strict=True) if c is None]
            log.warning("voice pack %s lacks %s", self.folder, ", ".join(missing))
            return None
        out = silence(0.05)
        for clip in clips:
            assert clip is not None
            out = out + clip + silence(0.08)
        return out


def espeak(text: str) -> Audio | None:
    """espeak-ng's Vietnamese voice, if installed."""
    binary = shutil.which("espeak-ng") or shutil.which("espeak")
    if binary is None:
        return None
    try:
        result = subprocess.run([binary, "-v", "vi", "-s", "140", "--stdout", text],
                                capture_output=True, timeout=20, check=True)
        return read_wav(result.stdout)
    except (OSError, subprocess.SubprocessError, ValueError, EOFError, wave.Error) as exc:
        log.warning("espeak-ng failed: %s", exc)
        return None


@dataclass(frozen=True)
class VoiceSettings:
    style: NumberStyle = "digits"
    repeat: int = 2
    voice_pack: Path | None = None
    use_espeak: bool = True
    reading: Reading = "north"
    max_delay: float = 10
    """Seconds after a call within which its voice must start; a burst's calls that would
    start later are left to the screen, with one "see the screen" phrase (0: say them all)."""


def voice_settings(display: DisplayConfig) -> VoiceSettings:
    """How a hall's display speaks, from its `[display]` section."""
    return VoiceSettings(style=display.number_style, repeat=display.repeat,
                         voice_pack=Path(display.voice_pack) if display.voice_pack else None,
                         use_espeak=display.espeak, reading=display.reading,
                         max_delay=display.voice_max_delay)


class Voice:
    """Speech from the voice pack where it has every clip, else from espeak-ng; None where
    neither can speak (the chime alone then marks a call)."""

    def __init__(self, settings: VoiceSettings) -> None:
        self.settings = settings
        self.pack = VoicePack(settings.voice_pack) if settings.voice_pack else None
        self.source = "chime"

    def bell(self) -> Audio:
        return (self.pack.clip("chime") if self.pack else None) or chime()

    def call(self, call: Announcement, *, intro: bool = True) -> Audio | None:
        settings = self.settings
        tokens = call.tokens(settings.style, settings.reading, intro=intro)
        return self._speak(tokens, call.spoken(settings.style, settings.reading, intro=intro))

    def phrase(self, token: str, text: str) -> Audio | None:
        return self._speak([token], text)

    def _speak(self, tokens: list[str], text: str) -> Audio | None:
        speech = self.pack.speak(tokens) if self.pack else None
        if speech is not None:
            self.source = "pack"
        elif self.settings.use_espeak:
            speech = espeak(text)
            if speech is not None:
                self.source = "espeak-ng"
        return speech


def render_call(call: Announcement, settings: VoiceSettings) -> tuple[Audio, str]:
    """The audio of one call and where its voice came from (pack, espeak-ng or chime)."""
    voice = Voice(settings)
    speech = voice.call(call)
    audio = voice.bell()
    if speech is None:
        return audio, "chime"
    for index in range(max(1, settings.repeat)):
        audio = audio + (silence(0.6) if index else silence(0.1)) + speech
    return audio, voice.source


# ----- playing, one call at a time -------------------------------------------------------

Player = Callable[[Path], None]


class PlaybackError(Exception):
    """The player ran but could not play (no sound device, a busy one)."""


@dataclass(frozen=True)
class SystemPlayer:
    """aplay (ALSA) or paplay (PulseAudio)."""

    binary: str

    @property
    def name(self) -> str:
        return Path(self.binary).name

    def __call__(self, path: Path) -> None:
        done = subprocess.run([self.binary, *(["-q"] if self.name == "aplay" else []),
                               str(path)], capture_output=True, timeout=60, check=False)
        if done.returncode != 0:
            detail = done.stderr.decode(errors="replace").strip().splitlines()
            raise PlaybackError(f"{self.name}: {detail[0] if detail else done.returncode}")


def system_player() -> SystemPlayer | None:
    """paplay or aplay, whichever exists first; None where neither does."""
    for name in ("paplay", "aplay"):
        binary = shutil.which(name)
        if binary:
            return SystemPlayer(binary)
    return None


@dataclass(frozen=True)
class TestCall:
    text: str
    voice: str
    """pack, espeak-ng or chime."""
    player: str
    seconds: float


def play_test_call(settings: VoiceSettings, player: SystemPlayer | None = None) -> TestCall:
    """Play a sample call ("B015 to counter 1") as the hall would hear it; refused, in the
    user's words, where nothing can play it."""
    call = Announcement("B015", "1")
    audio, source = render_call(call, settings)
    player = player or system_player()
    if player is None:
        raise Refused("voice.no_player")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "call.wav"
        path.write_bytes(audio.to_wav())
        try:
            player(path)
        except PlaybackError as exc:
            raise Refused("voice.cannot_play", detail=str(exc)) from None
    return TestCall(call.spoken(settings.style, settings.reading), source, player.name,
                    round(audio.seconds, 1))


@dataclass(frozen=True)
class Pending:
    call: Announcement
    made: float
    """The announcer's clock when the call reached it."""


def lead_in(voice: Voice, fresh: bool) -> Audio:
    """What comes before a call: the chime where the voice was quiet, else a short pause."""
    return voice.bell() + silence(0.1) if fresh else silence(0.3)


def one_breath(voice: Voice, calls: Sequence[Pending], fresh: bool,
               clock: Callable[[], float]) -> tuple[Audio, list[tuple[float | None, Pending]]]:
    """Calls that queued up (a burst), said once each in one breath, the chime and intro
    only where the voice was quiet (`fresh`); the calls whose voice would start later than
    `max_delay` after they were made are left to the screen, with one "see the screen"
    phrase. The audio, and where each call starts in it (None: left to the screen); `clock`
    is the one `Pending.made` was read on. The terminal display and the web board share it."""
    speeches = [voice.call(p.call, intro=fresh and index == 0) for index, p in enumerate(calls)]
    audio, said = lead_in(voice, fresh), list[tuple[float | None, Pending]]()
    started = clock()  # after rendering: espeak-ng takes a moment per call
    max_delay = voice.settings.max_delay
    for index, (pending, speech) in enumerate(zip(calls, speeches, strict=True)):
        late = started + audio.seconds - pending.made
        if speech is None or (max_delay and late > max_delay):
            said += [(None, p) for p in calls[index:]]
            audio = audio + (voice.phrase("see-screen", SEE_SCREEN) or silence(0))
            break
        said.append((audio.seconds, pending))
        audio = audio + speech + silence(0.3)
    return audio, said


class Announcer:
    """Plays calls strictly one after another on its own thread: a new call waits for the
    one being spoken, never cuts it off or overlaps it. Calls that queue up (a burst of
    counters calling together) are said once each in one breath, without the chime and
    intro again, so a call's voice starts within `max_delay` of the call; what a burst
    cannot say in time is left to the screen, and the hall is told to look at it."""

    def __init__(self, settings: VoiceSettings, player: Player | None = None, *,
                 mute: bool = False, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self.player = None if mute else (player or system_player())
        self.clock = clock
        self.problem: str | None = None
        """Why calls are not heard (no player, no sound device), said once in the log and
        shown on the display; None while they play (or the display is muted)."""
        if self.player is None and not mute:
            self._report("no sound player (install pulseaudio-utils or alsa-utils)")
        self._queue: queue.Queue[Pending | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="announcer", daemon=True)
        self._thread.start()

    def announce(self, call: Announcement) -> None:
        self._queue.put(Pending(call, self.clock()))

    def wait_idle(self, timeout: float = 30) -> bool:
        """For tests and shutdown: True once every queued call has been played."""
        done = threading.Event()

        def drain() -> None:
            self._queue.join()
            done.set()
        threading.Thread(target=drain, daemon=True).start()
        return done.wait(timeout)

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while True:
            try:  # a call already waiting follows the last one in the same breath
                item, fresh = self._queue.get_nowait(), False
            except queue.Empty:
                item, fresh = self._queue.get(), True
            batch = [item]
            while item is not None and not self._queue.empty():
                item = self._queue.get_nowait()
                batch.append(item)
            calls = [pending for pending in batch if pending is not None]
            try:
                if calls and self.player is not None:
                    self._say(calls, fresh)
                    self.problem = None
            except Exception as exc:  # a sound failure must never take the display down
                self._report(str(exc))
            finally:
                for _ in batch:
                    self._queue.task_done()
            if item is None:
                return

    def _report(self, problem: str) -> None:
        if self.problem is None:  # once, not once a call
            log.warning("voice calls cannot be heard: %s", problem)
        self.problem = problem

    def _say(self, calls: list[Pending], fresh: bool) -> None:
        voice = Voice(self.settings)
        if len(calls) == 1:
            lead = lead_in(voice, fresh)
            speech = voice.call(calls[0].call)
            self._play(lead + (speech or silence(0)), [(lead.seconds, calls[0])])
            for _ in range(max(1, self.settings.repeat) - 1):
                if speech is None or not self._queue.empty():
                    break  # someone else is waiting: the repeat gives way
                self._play(silence(0.6) + speech, [])
            return
        self._play(*one_breath(voice, calls, fresh, self.clock))

    def _play(self, audio: Audio, said: Sequence[tuple[float | None, Pending]]) -> None:
        """Plays one file; `said` names the calls in it and where each starts (None: left to
        the screen), for the log an IT person reads when the hall says it heard nothing."""
        assert self.player is not None
        started = self.clock()
        for offset, pending in said:
            call = pending.call
            if offset is None:
                log.info("voice: %s → %s left to the screen (%.1f s after the call)",
                         call.number, call.counter, started - pending.made)
            else:
                log.info("voice: %s → %s said %.1f s after the call", call.number,
                         call.counter, started + offset - pending.made)
        with tempfile.NamedTemporaryFile(suffix=".wav", delete=False) as handle:
            handle.write(audio.to_wav())
            path = Path(handle.name)
        try:
            self.player(path)
        finally:
            path.unlink(missing_ok=True)
