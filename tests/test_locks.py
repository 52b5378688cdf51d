"""The build lock against other processes, other threads, the same thread, and a holder killed by SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from broadcast.errors import BroadcastError, BuildLockedError
from broadcast.locks import build_lock, build_lock_path

# A child that takes the lock, says so, and holds it until its stdin closes.
HOLDER = """
import sys
from pathlib import Path
from broadcast.locks import build_lock
with build_lock(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.read()
"""

# A child that tries the lock once and reports what happened.
TRIER = """
import sys
from pathlib import Path
from broadcast.errors import BuildLockedError
from broadcast.locks import build_lock
try:
    with build_lock(Path(sys.argv[1])):
        print("acquired")
except BuildLockedError as exc:
    print(exc)
    sys.exit(3)
"""


@pytest.fixture
def lock(tmp_path: Path) -> Path:
    return build_lock_path(tmp_path / "home")


def _python(code: str, lock: Path, **options: object) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", code, str(lock)], text=True, **options)


@contextmanager
def held_by_child(lock: Path) -> Iterator[subprocess.Popen[str]]:
    child = _python(HOLDER, lock, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert child.stdout is not None and child.stdout.readline() == "held\n"
        yield child
    finally:
        if child.poll() is None:
            assert child.stdin is not None
            child.stdin.close()
        child.wait()


@contextmanager
def held_by_thread(lock: Path) -> Iterator[None]:
    """Hold the lock from another thread of this process for the block."""
    acquired, release = threading.Event(), threading.Event()

    def hold() -> None:
        with build_lock(lock):
            acquired.set()
            release.wait()

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert acquired.wait(10)
        yield
    finally:
        release.set()
        thread.join()


def _is_free(lock: Path) -> bool:
    try:
        with build_lock(lock):
            return True
    except BuildLockedError:
        return False


def test_a_second_process_is_refused_with_the_holders_pid(lock: Path) -> None:
    with held_by_child(lock) as child, pytest.raises(BuildLockedError) as refused, build_lock(lock):
        pytest.fail("two holders at once")
    message = str(refused.value)
    assert message.startswith(f"another build is running (pid {child.pid} since ")
    assert message.endswith("); try again when it finishes")
    assert "\n" not in message
    assert isinstance(refused.value, BroadcastError)
    assert _is_free(lock)


def test_a_process_is_refused_while_this_one_holds_it(lock: Path) -> None:
    with build_lock(lock):
        trier = _python(TRIER, lock, stdout=subprocess.PIPE)
        output, _ = trier.communicate()
    assert trier.returncode == 3
    assert f"(pid {os.getpid()} since " in output
    trier = _python(TRIER, lock, stdout=subprocess.PIPE)
    assert trier.communicate()[0] == "acquired\n"


def test_a_holder_killed_by_sigkill_releases_it(lock: Path) -> None:
    with held_by_child(lock) as child:
        assert not _is_free(lock)
        child.send_signal(signal.SIGKILL)
        assert child.wait() == -signal.SIGKILL
        assert _is_free(lock)


def test_an_exception_in_the_block_releases_it(lock: Path) -> None:
    with pytest.raises(RuntimeError), build_lock(lock):
        raise RuntimeError("build failed")
    assert _is_free(lock)


def test_the_holder_leaves_its_pid_and_start_time_and_takes_them_away(lock: Path) -> None:
    with build_lock(lock):
        pid, started = lock.read_text(encoding="ascii").split()
        assert int(pid) == os.getpid()
        assert started.endswith("+07:00")
    assert lock.read_text(encoding="ascii") == ""
    assert lock.exists()  # never deleted: removing a locked file lets two holders lock two different files


def test_the_same_thread_asking_again_is_refused_at_once_even_when_willing_to_wait(lock: Path) -> None:
    with build_lock(lock):
        for wait in (False, True, 60.0):
            refused = pytest.raises(BuildLockedError, match=r"^a build is already running in this thread \(pid ")
            with refused, build_lock(lock, wait=wait):
                pytest.fail("re-entered")
        assert not _is_free(lock)  # the refusal did not release the outer hold
    assert _is_free(lock)


def test_another_thread_contends_like_another_process(lock: Path) -> None:
    with held_by_thread(lock):
        with pytest.raises(BuildLockedError, match=r"^another build is running"), build_lock(lock):
            pass
        with pytest.raises(BuildLockedError), build_lock(lock, wait=0.01):
            pass
    assert _is_free(lock)


def test_waiting_forever_gets_it_when_the_holder_leaves(lock: Path) -> None:
    got_it = threading.Event()

    def waiter() -> None:
        with build_lock(lock, wait=True):
            got_it.set()

    with build_lock(lock):
        thread = threading.Thread(target=waiter)
        thread.start()
        assert not got_it.is_set()  # cannot be: this thread holds the lock
    thread.join(10)
    assert got_it.is_set()


def test_a_message_without_a_note_still_reads_well(lock: Path) -> None:
    with held_by_child(lock):
        lock.write_text("", encoding="ascii")  # as if the holder had not written its note yet
        refused = pytest.raises(BuildLockedError, match=r"^another build is running; try again when it finishes$")
        with refused, build_lock(lock):
            pass
