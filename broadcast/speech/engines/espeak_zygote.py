"""A process that loads libespeak-ng and one voice once, then forks a child for every text it is asked to speak.

Started by broadcast.speech.engines.espeak as `python -I -S espeak_zygote.py VOICE` (standard library only, so it
starts in a few milliseconds and imports nothing of broadcast). The espeak-ng program costs about 9 ms per text
before it says a word (it links some thirty libraries and loads its phoneme data and the voice's dictionary), more
than a station call takes to synthesise; a fork of this process costs half a millisecond.

Each child starts from the same state, the one espeak-ng's own program reaches before it synthesises (library
initialised for synchronous output, voice set), and speaks one text in one espeak_Synth call: its samples are those
of `espeak-ng -v VOICE -s SPEED -m -b 1 --stdout --stdin`, whatever was spoken before. (Without --stdin the program
reads its input line by line in pieces of 999 bytes and would cut long messages mid-word.) libespeak-ng keeps
state between texts, so a text spoken after another in one process could differ: hence a fresh child each time.

Frames both ways: uint8 status, uint32 length (little-endian), then that many bytes of payload.
  request  status 0, JSON {"speed": words per minute, "text": SSML}; EOF ends
  response status 0 (ok) with 16-bit mono PCM samples, or 1 (error) with a UTF-8 message
The first response, before any request, answers the start: its payload is the sample rate (uint32, Hz), or why
the library or the voice could not be loaded.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import struct
import sys
from typing import IO

LIBRARY = "libespeak-ng.so.1"
# From espeak-ng's speak_lib.h and espeak_ng.h.
_OUTPUT_SYNCHRONOUS = 0x0001  # ENOUTPUT_MODE_SYNCHRONOUS
_RATE = 1  # espeakRATE
_POS_CHARACTER = 1
# The program's flags for `-m -b 1`: espeakCHARS_UTF8 | espeakSSML | espeakPHONEMES | espeakENDPAUSE.
_SYNTH_FLAGS = 0x1 | 0x10 | 0x100 | 0x1000
TIMEOUT_SECONDS = 600  # a child still speaking after this long is killed (SIGALRM's default action)

OK, ERROR = 0, 1
_HEADER = struct.Struct("<BI")
_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)


def write_frame(stream: IO[bytes], status: int, payload: bytes) -> None:
    stream.write(_HEADER.pack(status, len(payload)) + payload)
    stream.flush()


def read_frame(stream: IO[bytes]) -> tuple[int, bytes] | None:
    """The next (status, payload), or None at the end of the stream or in a cut frame."""
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    status, length = _HEADER.unpack(header)
    payload = stream.read(length)
    return (status, payload) if len(payload) == length else None


def _load(voice: str) -> tuple[ctypes.CDLL, int, list[bytes], object]:
    """libespeak-ng initialised as the program does it, voice set; the library, its sample rate, the list the
    synthesis callback fills with samples, and the callback (kept alive by the caller)."""
    library = ctypes.CDLL(LIBRARY)
    library.espeak_ng_InitializePath(None)
    context = ctypes.c_void_p()
    if library.espeak_ng_Initialize(ctypes.byref(context)) != 0:
        raise OSError("espeak-ng cannot load its data (espeak-ng-data)")
    if library.espeak_ng_InitializeOutput(_OUTPUT_SYNCHRONOUS, 0, None) != 0:
        raise OSError("espeak-ng cannot start its synchronous output")
    samples: list[bytes] = []

    def collect(wav: ctypes._Pointer[ctypes.c_short], count: int, events: int | None) -> int:
        if wav and count > 0:
            samples.append(ctypes.string_at(wav, count * 2))
        return 0

    callback = _CALLBACK(collect)
    library.espeak_SetSynthCallback(callback)
    if library.espeak_SetVoiceByName(voice.encode("utf-8")) != 0:
        raise OSError(f"espeak-ng has no voice {voice}")
    return library, int(library.espeak_ng_GetSampleRate()), samples, callback


def _speak(library: ctypes.CDLL, samples: list[bytes], speed: int, text: str, answer: int) -> None:
    """In the child: speak text at speed words per minute and write the samples (or a message) to answer."""
    signal.alarm(TIMEOUT_SECONDS)
    library.espeak_SetParameter(_RATE, speed, 0)
    data = text.encode("utf-8")
    code = library.espeak_Synth(data, len(data) + 1, 0, _POS_CHARACTER, 0, _SYNTH_FLAGS, None, None)
    if code == 0:
        code = library.espeak_Synchronize()
    with os.fdopen(answer, "wb") as out:
        if code == 0:
            out.write(bytes([OK]) + b"".join(samples))
        else:
            out.write(bytes([ERROR]) + f"espeak_Synth returned {code}".encode())


def _fork_and_speak(library: ctypes.CDLL, samples: list[bytes], request: dict[str, object]) -> tuple[int, bytes]:
    """A child speaks the request; its (status, payload)."""
    speed, text = request.get("speed"), request.get("text")
    if not isinstance(speed, int) or not isinstance(text, str):
        return ERROR, b"a request needs an integer speed and a text"
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: speak, answer, and leave without running anything of the parent's
        os.close(read_end)
        try:
            _speak(library, samples, speed, text, write_end)
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as answer:
        reply = answer.read()
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        name = signal.Signals(os.WTERMSIG(status)).name
        reason = f"took longer than {TIMEOUT_SECONDS} s" if name == "SIGALRM" else f"was killed by {name}"
        return ERROR, f"espeak-ng {reason}".encode()
    if not reply:
        return ERROR, b"espeak-ng stopped without an answer"
    return reply[0], reply[1:]


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group; the parent decides
    requests, responses = sys.stdin.buffer, sys.stdout.buffer
    try:
        library, rate, samples, _callback = _load(sys.argv[1])  # the callback lives as long as main
    except (OSError, IndexError) as exc:
        write_frame(responses, ERROR, str(exc).encode("utf-8"))
        return
    write_frame(responses, OK, struct.pack("<I", rate))
    while True:
        frame = read_frame(requests)
        if frame is None:
            return  # the parent closed the pipe (or died): nothing more to say
        try:
            request = json.loads(frame[1])
        except ValueError:
            write_frame(responses, ERROR, b"a request must be JSON")
            continue
        if not isinstance(request, dict):
            write_frame(responses, ERROR, b"a request must be a JSON object")
            continue
        status, payload = _fork_and_speak(library, samples, request)
        write_frame(responses, status, payload)


if __name__ == "__main__":
    main()
