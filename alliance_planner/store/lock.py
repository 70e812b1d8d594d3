"""One writer at a time: the lock file beside a plan that is open for editing.

A window (or any process) that opens ``PLAN.alliance`` for editing holds
``PLAN.alliance.lock`` beside it. The file says who holds it, as JSON: the user, the host,
the process id, since when and a random token. A second window, here or in another
process, reads that to say who has the plan, and opens it read-only instead.

Why this design:

* **The operating system's lock decides, the file only informs.** The holder keeps the lock
  file open with a kernel lock on it (``flock`` on Linux and macOS, ``msvcrt.locking`` on
  Windows). The kernel drops that lock the moment its process ends, however it ends, so a
  crash can never leave a plan locked: the next opener finds the file but not the kernel
  lock, knows the holder is gone, and takes the lock over. Taking over is one atomic
  system call, so two openers racing for a stale lock cannot both win. A lock file created
  with ``O_CREAT | O_EXCL`` alone would have to guess whether its writer still runs from a
  process id, which cannot be checked on another host and may have been reused, and taking
  it over would race (delete, then create).
* **Where the kernel has no such locks** (some network file systems), the lock falls back
  on that guess, made carefully: the file is created with ``O_CREAT | O_EXCL``; it is stale
  only when its host is this one and its process no longer runs; it is taken over by
  renaming it aside (atomic, so one taker wins), checking that what was renamed is the
  stale holder's (its token), and only then creating a new one.
* **Not a SQLite lock.** SQLite's locks last one transaction, and a window must commit
  every edit as it is made (a crash loses nothing); holding a write transaction open
  between edits would lose them. Nor can SQLite say who holds a lock.
* **Beside the plan, not in the user's settings**, so that another user on a shared drive
  sees it too; the holder's name and host are what a colleague needs to ask them to close
  it.

Releasing removes the file while still holding the kernel lock; an opener that got the
old file then finds it is no longer the one at the path and tries again, so the lock can
never be held twice. A process keeps a set of the locks it holds as well, so a second
window in the same process is refused even where the kernel's locks are per process.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .. import __version__

SUFFIX = ".lock"
_MAX_LOCK_FILE = 4096
"""A lock file is a few hundred bytes; anything longer is not ours and is not read whole."""
_HELD: set[str] = set()
"""The lock files this process holds (their real paths)."""


@dataclass(frozen=True)
class Holder:
    """Who holds a plan open for editing, as the lock file says."""

    user: str
    host: str
    pid: int
    since: str
    """When the lock was taken: ISO 8601, UTC."""
    token: str = ""
    program: str = ""

    @classmethod
    def me(cls) -> Holder:
        return cls(user=user_name(), host=_host(), pid=os.getpid(),
                   since=datetime.now(UTC).isoformat(timespec="seconds"),
                   token=os.urandom(8).hex(), program=f"Alliance Planner {__version__}")

    @classmethod
    def from_json(cls, data: bytes) -> Holder | None:
        """The holder a lock file names; None if it names none (empty, partly written or
        not a lock file). Every field is checked: a lock file is input like any other."""
        try:
            doc = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            return None
        if not isinstance(doc, dict):
            return None
        pid = doc.get("pid")
        if type(pid) is not int or not 0 < pid < 2**31:
            return None
        fields = {name: doc.get(name) for name in ("user", "host", "since", "token",
                                                     "program")}
        if not all(isinstance(v, str) for v in fields.values()):
            return None
        return cls(pid=pid, **{k: str(v)[:200] for k, v in fields.items()})

    def to_json(self) -> bytes:
        return json.dumps({"program": self.program, "user": self.user, "host": self.host,
                           "pid": self.pid, "since": self.since,
                           "token": self.token}).encode("utf-8")

    def is_here(self) -> bool:
        """Whether this process is the holder."""
        return self.pid == os.getpid() and self.host == _host()

    def is_gone(self) -> bool:
        """Whether the holder is known to have stopped: its host is this one and no process
        has its id. A holder on another host is never known to be gone."""
        if self.host != _host():
            return False
        return not _process_exists(self.pid)

    def when(self) -> str:
        """Since when, in local time: '14:02 on 23 November 2025'."""
        try:
            moment = datetime.fromisoformat(self.since)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            local = moment.astimezone()
        except (ValueError, OverflowError, OSError):
            return "an unknown time"
        return f"{local:%H:%M} on {local.day} {local:%B %Y}"

    def describe(self) -> str:
        """'jane on pc-12 (process 1234) since 14:02 on 23 November 2025'."""
        return f"{self.user} on {self.host} (process {self.pid}) since {self.when()}"


class LockHeld(Exception):
    """Another window or process holds the plan open for editing."""

    def __init__(self, lock_file: Path, holder: Holder | None):
        super().__init__(f"{lock_file}: held by "
                         f"{holder.describe() if holder else 'another program'}")
        self.lock_file = lock_file
        self.holder = holder


def lock_path(plan: Path) -> Path:
    """The lock file of a plan: beside the file itself, so that two names for one plan (a
    symbolic link and its target) share one lock."""
    real = Path(os.path.realpath(plan))
    return real.with_name(real.name + SUFFIX)


def user_name() -> str:
    import getpass  # here, not above: reading a plan never needs it

    try:
        return getpass.getuser()
    except (KeyError, OSError, ImportError):  # no name for this user id (a container)
        return f"user {os.getuid()}" if hasattr(os, "getuid") else "unknown user"


def _host() -> str:
    if hasattr(os, "uname"):  # what platform.node() reads, without importing platform (2 ms)
        return os.uname().nodename or "this computer"
    import platform  # here, not above: reading a plan never needs it

    return platform.node() or "this computer"


def _process_exists(pid: int) -> bool:
    if sys.platform == "win32":  # pragma: no cover - not run on the test machines
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)
        if handle:
            ctypes.windll.kernel32.CloseHandle(handle)
            return True
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it runs, as another user
        return True
    return True


# --- the kernel's lock -----------------------------------------------------------------------

_LOCKED, _HELD_ELSEWHERE, _UNSUPPORTED = "locked", "held elsewhere", "unsupported"


def _kernel_lock(fd: int) -> str:
    """Try the kernel's exclusive lock on an open file, without waiting."""
    if sys.platform == "win32":  # pragma: no cover - not run on the test machines
        import msvcrt

        # Windows' locks are mandatory: lock one byte far past the JSON, so that
        # others can still read who holds it.
        os.lseek(fd, 1 << 30, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError as exc:
            return _HELD_ELSEWHERE if exc.errno in (errno.EACCES, errno.EDEADLOCK) \
                else _UNSUPPORTED
        return _LOCKED
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            return _HELD_ELSEWHERE
        return _UNSUPPORTED  # ENOLCK, EOPNOTSUPP, EINVAL: no such locks on this file system
    return _LOCKED


def _same_file(fd: int, path: Path) -> bool:
    """Whether the open file is still the one at `path` (not removed or replaced)."""
    try:
        mine, there = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (mine.st_dev, mine.st_ino) == (there.st_dev, there.st_ino)


def _read(fd: int) -> Holder | None:
    os.lseek(fd, 0, os.SEEK_SET)
    return Holder.from_json(os.read(fd, _MAX_LOCK_FILE))


def _read_path(path: Path) -> Holder | None:
    try:
        with path.open("rb") as fh:
            return Holder.from_json(fh.read(_MAX_LOCK_FILE))
    except OSError:
        return None


def _write(fd: int, holder: Holder) -> None:
    data = holder.to_json()
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    while data:
        data = data[os.write(fd, data):]
    os.fsync(fd)


# --- the lock ------------------------------------------------------------------------------


class PlanLock:
    """A plan held open for editing by this process; `release` lets it go."""

    def __init__(self, path: Path, fd: int, holder: Holder, took_over: Holder | None,
                 kernel: bool):
        self.path = path
        self.holder = holder
        self.took_over = took_over
        """The holder of a stale lock (a program that stopped) taken over, if any."""
        self._fd: int | None = fd
        self._kernel = kernel
        self._key = os.path.realpath(path)
        _HELD.add(self._key)

    def release(self) -> None:
        """Remove the lock file, then drop the kernel's lock: the plan is free."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            if self._kernel:
                if _same_file(fd, self.path):
                    self.path.unlink()
            elif _read_path(self.path) == self.holder:
                self.path.unlink()
        except OSError:
            pass  # a lock file left behind is stale: the next opener takes it over
        finally:
            os.close(fd)
            _HELD.discard(self._key)

    @property
    def held(self) -> bool:
        return self._fd is not None


def acquire(plan: Path) -> PlanLock:
    """Take the lock on a plan; LockHeld says who has it, OSError that it cannot be made
    (a read-only folder, say)."""
    path = lock_path(plan)
    if os.path.realpath(path) in _HELD:
        raise LockHeld(path, _read_path(path) or Holder.me())
    me = Holder.me()
    for _ in range(20):  # each retry follows a release or a takeover racing with this one
        fd = _open_lock_file(path)
        state = ""
        try:
            state = _kernel_lock(fd)
            if state == _HELD_ELSEWHERE:
                raise LockHeld(path, _read(fd))
            if state == _LOCKED and _same_file(fd, path):
                previous = _read(fd)
                if _try_write(fd, me):
                    return PlanLock(path, fd, me, previous, kernel=True)
                # Not ours to write (another user's): remove it while holding it.
                path.unlink()
        except BaseException:
            if state == _LOCKED and _same_file(fd, path):
                with contextlib.suppress(OSError):
                    path.unlink()  # half made (a full disk): ours to remove while held
            os.close(fd)
            raise
        os.close(fd)
        if state == _UNSUPPORTED:
            return _acquire_without_kernel_locks(path, me)
        # Otherwise released, taken over or removed just now: try the file there now.
    raise OSError(errno.EAGAIN, "the lock changed hands too often to be taken", str(path))


def _open_lock_file(path: Path) -> int:
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
    except PermissionError:
        # A lock file left by another user, which this one cannot write: read-only is
        # enough to hold the kernel's lock on it and then remove it.
        return os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))


def _try_write(fd: int, holder: Holder) -> bool:
    try:
        _write(fd, holder)
    except OSError as exc:
        if exc.errno in (errno.EBADF, errno.EACCES, errno.EPERM):
            return False
        raise
    return True


def _acquire_without_kernel_locks(path: Path, me: Holder) -> PlanLock:
    """Where the file system has no kernel locks: O_EXCL and the holder's process id."""
    for _ in range(20):
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL
                         | getattr(os, "O_BINARY", 0), 0o644)
        except FileExistsError:
            holder = _read_path(path)
            if holder is None or not holder.is_gone():
                # Unreadable may be a holder half way through writing it: not stale.
                raise LockHeld(path, holder) from None
            _take_over_stale(path, holder)
            continue
        try:
            _write(fd, me)
        except BaseException:
            os.close(fd)
            path.unlink(missing_ok=True)
            raise
        return PlanLock(path, fd, me, None, kernel=False)
    raise OSError(errno.EAGAIN, "the lock changed hands too often to be taken", str(path))


def _take_over_stale(path: Path, stale: Holder) -> None:
    """Remove a stale lock file, unless another opener replaced it first."""
    aside = path.with_name(f"{path.name}.stale-{os.getpid()}-{os.urandom(4).hex()}")
    try:
        os.rename(path, aside)
    except FileNotFoundError:
        return  # another opener took it first; try again
    if _read_path(aside) == stale:
        aside.unlink(missing_ok=True)
        return
    # Between reading and renaming, someone took the lock over and made it theirs: put
    # theirs back (link fails if yet another file is there now) and give up.
    with contextlib.suppress(OSError):
        os.link(aside, path)
    aside.unlink(missing_ok=True)
    raise LockHeld(path, _read_path(path))
