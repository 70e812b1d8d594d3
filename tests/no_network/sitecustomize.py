"""No way out: every socket this process makes is written down, and refused.

tests/e2e/test_no_network.py puts this folder on PYTHONPATH for the whole end-to-end flow,
so Python loads this module at start-up in every process of it. A socket made from Python
(socket.socket, create_connection, a name lookup) is recorded in the file named by
ALLIANCE_PLANNER_SOCKET_LOG and then fails; sockets made by native code (Qt's own) are
seen by a watcher of this process's open files and recorded by their family. The test
reads the log afterwards; this module never decides anything itself.
"""

import _socket
import os
import socket
import sys
import threading
import time
import traceback

LOG = os.environ.get("ALLIANCE_PLANNER_SOCKET_LOG")
_NATIVE = _socket.socket  # kept before it is replaced: asks a native socket its family
_FAMILIES = {getattr(_socket, f"AF_{name.upper()}", None): name
             for name in ("unix", "inet", "inet6", "netlink", "packet")}


def record(what: str) -> None:
    if not LOG:
        return
    where = "".join(traceback.format_stack(limit=6)[:-2]).replace("\n", " | ")
    with open(LOG, "a", encoding="utf-8") as log:
        log.write(f"{os.getpid()} {what} at {where}\n")


class RefusedSocket(_socket.socket):
    def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
        record(f"socket(family={family}, type={type})")
        raise PermissionError("no network: this test refuses every socket")


def refuse(name):
    def refused(*args, **kwargs):
        record(f"{name}{args[:2]!r}")
        raise PermissionError(f"no network: {name} refused by this test")
    return refused


if LOG:
    socket.socket = RefusedSocket
    _socket.socket = RefusedSocket
    socket.SocketType = RefusedSocket
    for name in ("create_connection", "create_server", "socketpair", "fromfd",
                 "getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr",
                 "getnameinfo"):
        setattr(socket, name, refuse(name))
        if hasattr(_socket, name):
            setattr(_socket, name, refuse(name))

    def families() -> dict[str, str]:
        """Socket inodes of this system by family, from /proc/net."""
        found = {}
        for family in ("tcp", "tcp6", "udp", "udp6", "raw", "raw6", "unix", "netlink"):
            try:
                with open(f"/proc/net/{family}", encoding="ascii") as table:
                    next(table, None)
                    for line in table:
                        fields = line.split()
                        inode = fields[6] if family == "unix" else fields[9] \
                            if len(fields) > 9 else ""
                        found[inode] = family
            except OSError:
                continue
        return found

    def family_of(fd: int) -> str | None:
        """The family of an open socket, asked of the socket itself while a duplicate of
        it keeps it open: a socket that closes at once (the name service's, asked for the
        user's name) is gone from /proc/net before it can be looked up there."""
        try:
            copy = os.dup(fd)
        except OSError:
            return None
        try:
            native = _NATIVE(fileno=copy)
        except OSError:
            os.close(copy)
            return None
        try:
            return _FAMILIES.get(native.family, f"family {native.family}")
        finally:
            native.close()

    def watch() -> None:
        seen = set()
        while True:
            try:
                for fd in os.listdir("/proc/self/fd"):
                    try:
                        target = os.readlink(f"/proc/self/fd/{fd}")
                    except OSError:
                        continue
                    if target.startswith("socket:[") and target not in seen:
                        seen.add(target)
                        # "gone": closed before it could be asked or looked up (the
                        # name service's local socket can be): the test then relies on
                        # strace, which sees every socket the kernel is asked for
                        family = family_of(int(fd)) or families().get(target[8:-1],
                                                                      "gone")
                        record(f"native socket {target} family={family}")
            except OSError:
                pass
            time.sleep(0.01)

    threading.Thread(target=watch, name="socket-watch", daemon=True).start()
    with open(LOG, "a", encoding="utf-8") as log:
        log.write(f"{os.getpid()} armed {' '.join(sys.argv)[:200]}\n")
