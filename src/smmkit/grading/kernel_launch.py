"""Start a grading kernel under limits: by ``exec`` (one Python per kernel) or forked from a warm "zygote".

This file is run as a script (``python kernel_launch.py ...``) and imports only the standard library, so that
starting a kernel does not import smmkit. Two modes:

``python kernel_launch.py exec --limits JSON -- <kernel command>``
    Apply the limits to this process, then ``exec`` the kernel command. Every kernel pays the full start-up
    (Python, ipykernel, debugpy, and pandas when the guard snapshots it): for an a01 submission about 1.1 s of
    the kernel's 1.6 s of CPU (measured; see ``tools/bench_autograde.py``).

``python kernel_launch.py zygote --parent PID --preload numpy,pandas,...``
    Import ipykernel and the ``--preload`` modules once, then serve requests on stdin, one JSON line each:
    ``{"args": [...], "cwd": ..., "env": {...}}``. For each it forks a child that applies the limits and runs
    ``ipykernel_launcher`` in-process, exactly as ``python -m ipykernel_launcher`` would (same ``sys.argv``,
    ``sys.path[0]`` = the kernel's folder, a fresh ``__main__`` and user namespace). It answers
    ``{"pid": N}`` and later ``{"exit": N, "code": C}`` when the child ends. A forked kernel is set up with
    ~0.15 s of CPU.
    The zygote stays single-threaded (a fork is only safe then), dies with its parent, and exits on EOF.

Limits applied to the kernel process (both modes), before any student code runs:

- ``RLIMIT_AS`` (memory), ``RLIMIT_FSIZE`` (size of a written file), no core dumps;
- one BLAS/OpenMP thread; ``HOME`` and ``TMPDIR`` = the kernel's working folder;
- stdout/stderr output cap and the monkeypatching guard, as ``IPKernelApp.exec_lines``;
- **Landlock** (Linux >= 5.13, unprivileged, survives ``exec`` and applies to every child process): the kernel
  may *read* only the system folders, the Python installation, the packages on ``sys.path`` and the datasets;
  it may *write* only in its own working folder. Other students' submissions, the course's source (with
  hidden tests), the gradebook and the datasets' files cannot be changed, nor (except the datasets) read.
  With Landlock ABI >= 4 the kernel may bind only its own five ZMQ ports and open no TCP connection; with
  ABI >= 6 it cannot signal processes outside its sandbox (the grader, the zygote, other kernels).
  Where Landlock is missing the kernel runs without these file and network walls (reported, not fatal).
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import select
import signal
import struct
import sys
import traceback

# ----------------------------------------------------------------------------------------------------- Landlock

_SYS_CREATE_RULESET, _SYS_ADD_RULE, _SYS_RESTRICT_SELF = 444, 445, 446  # the same on every architecture
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH, _RULE_NET_PORT = 1, 2
_PR_SET_NO_NEW_PRIVS, _PR_SET_PDEATHSIG = 38, 1

FS_EXECUTE, FS_WRITE_FILE, FS_READ_FILE, FS_READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
FS_REFER, FS_TRUNCATE, FS_IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
NET_BIND_TCP, NET_CONNECT_TCP = 1 << 0, 1 << 1
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1 << 0, 1 << 1
FILE_RIGHTS = FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_TRUNCATE | FS_IOCTL_DEV
READ_RIGHTS = FS_EXECUTE | FS_READ_FILE | FS_READ_DIR


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def landlock_abi() -> int:
    """The Landlock ABI version of the running kernel (0: not available)."""
    if not sys.platform.startswith("linux"):
        return 0
    libc = _libc()
    libc.syscall.restype = ctypes.c_long
    version = libc.syscall(ctypes.c_long(_SYS_CREATE_RULESET), None, ctypes.c_size_t(0),
                           ctypes.c_uint32(_CREATE_RULESET_VERSION))
    return max(0, int(version))


def _fs_rights(abi: int) -> int:
    rights = (1 << 13) - 1  # ABI 1: execute ... make_sym
    if abi >= 2:
        rights |= FS_REFER
    if abi >= 3:
        rights |= FS_TRUNCATE
    if abi >= 5:
        rights |= FS_IOCTL_DEV
    return rights


def restrict(read: list[str], write: list[str], files: dict[str, int], ports: list[int]) -> int:
    """Landlock this process: read-only ``read``, full rights in ``write``, ``files`` {path: rights}.

    TCP: bind only ``ports``, connect nowhere (ABI >= 4); no signals or abstract sockets out (ABI >= 6).
    Paths that do not exist are skipped. Returns the ABI applied (0: Landlock unavailable, nothing done).
    """
    abi = landlock_abi()
    if abi <= 0:
        return 0
    libc = _libc()
    libc.syscall.restype = ctypes.c_long
    handled = _fs_rights(abi)
    if abi >= 6:
        attr = struct.pack("=QQQ", handled, NET_BIND_TCP | NET_CONNECT_TCP,
                           SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL)
    elif abi >= 4:
        attr = struct.pack("=QQ", handled, NET_BIND_TCP | NET_CONNECT_TCP)
    else:
        attr = struct.pack("=Q", handled)
    buf = ctypes.create_string_buffer(attr, len(attr))
    ruleset = libc.syscall(ctypes.c_long(_SYS_CREATE_RULESET), buf, ctypes.c_size_t(len(attr)), ctypes.c_uint32(0))
    if ruleset < 0:
        raise OSError(ctypes.get_errno(), "landlock_create_ruleset: " + os.strerror(ctypes.get_errno()))
    try:
        def add_path(path: str, rights: int) -> None:
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                return
            try:
                if not os.path.isdir(path):
                    rights &= FILE_RIGHTS
                rule = ctypes.create_string_buffer(struct.pack("=Qi", rights & handled, fd), 12)
                if libc.syscall(ctypes.c_long(_SYS_ADD_RULE), ctypes.c_int(ruleset),
                                ctypes.c_int(_RULE_PATH_BENEATH), rule, ctypes.c_uint32(0)) < 0:
                    err = ctypes.get_errno()
                    raise OSError(err, f"landlock_add_rule({path}): {os.strerror(err)}")
            finally:
                os.close(fd)

        for path in read:
            add_path(path, READ_RIGHTS | FS_IOCTL_DEV)
        for path in write:
            add_path(path, handled)
        for path, rights in files.items():
            add_path(path, rights)
        if abi >= 4:
            for port in ports:
                rule = ctypes.create_string_buffer(struct.pack("=QQ", NET_BIND_TCP, int(port)), 16)
                if libc.syscall(ctypes.c_long(_SYS_ADD_RULE), ctypes.c_int(ruleset),
                                ctypes.c_int(_RULE_NET_PORT), rule, ctypes.c_uint32(0)) < 0:
                    err = ctypes.get_errno()
                    raise OSError(err, f"landlock_add_rule(port {port}): {os.strerror(err)}")
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS)")
        if libc.syscall(ctypes.c_long(_SYS_RESTRICT_SELF), ctypes.c_int(ruleset), ctypes.c_uint32(0)) < 0:
            err = ctypes.get_errno()
            raise OSError(err, "landlock_restrict_self: " + os.strerror(err))
    finally:
        os.close(ruleset)
    return abi


# ------------------------------------------------------------------------------------------------------- limits

def _parse(args: list[str]) -> tuple[dict, list[str]]:
    split = args.index("--")
    opts, cmd = args[:split], args[split + 1:]
    values = dict(zip(opts[::2], opts[1::2], strict=True))
    return json.loads(values.get("--limits", "{}")), cmd


def _connection_ports(cmd: list[str]) -> tuple[str | None, list[int]]:
    """The connection file named by ``-f`` in the kernel command, and its TCP ports."""
    path = next((cmd[i + 1] for i, a in enumerate(cmd[:-1]) if a == "-f"), None)
    if path is None:
        return None, []
    try:
        with open(path, encoding="utf-8") as handle:
            info = json.load(handle)
    except (OSError, ValueError):
        return path, []
    if info.get("transport", "tcp") != "tcp":
        return path, []
    return path, [int(info[k]) for k in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")
                  if info.get(k)]


def apply_limits(limits: dict, cmd: list[str]) -> list[str]:
    """In the process that becomes the kernel: apply ``limits``; return ``cmd`` with the in-kernel hooks."""
    memory_mb = int(limits.get("memory_mb", 0))
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    fsize = int(limits.get("fsize_mb", 256)) * 1024 * 1024
    hard = resource.getrlimit(resource.RLIMIT_FSIZE)[1]
    if hard == resource.RLIM_INFINITY or hard > fsize:
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
        os.environ[var] = "1"
    os.environ["MALLOC_ARENA_MAX"] = "2"  # (an exec'ed kernel) thread arenas would eat the RLIMIT_AS budget
    os.environ["ARROW_DEFAULT_MEMORY_POOL"] = "system"  # mimalloc would reserve ~1 GB of it
    os.environ["HOME"] = os.environ["TMPDIR"] = os.getcwd()
    calls = []
    output_kb = int(limits.get("output_kb", 0))
    if output_kb > 0:
        calls.append(f"m.install_output_cap({output_kb * 1024})")
    if limits.get("guard", True):
        calls.append("m.install_guard()")
    cmd = list(cmd)
    if calls:  # one expression, so that no name is left in the student's namespace
        line = f"(lambda m: ({', '.join(calls)},))(__import__('smmkit.grading.sandbox', fromlist=['_']))"
        cmd.append("--IPKernelApp.exec_lines=" + line)
    if limits.get("landlock", True):
        connection_file, ports = _connection_ports(cmd)
        files = {"/dev/null": FS_READ_FILE | FS_WRITE_FILE}
        if connection_file:  # ipykernel may rewrite its own connection file
            files[connection_file] = FS_READ_FILE | FS_WRITE_FILE | FS_TRUNCATE
        abi = restrict(list(limits.get("read", [])), [os.getcwd(), *limits.get("write", [])], files, ports)
        os.environ["SMMKIT_LANDLOCK_ABI"] = str(abi)
    return cmd


def _quiet_stderr() -> None:
    """ipykernel's start-up noise ("running over TCP ..."); the student's own stderr still reaches the notebook
    through iopub."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)


_CLONE_NEWUSER, _CLONE_NEWPID, _CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000


_CLONE_NEWNS = 0x00020000
_MS_NOSUID, _MS_NODEV, _MS_NOEXEC, _MS_BIND, _MS_REC = 0x2, 0x4, 0x8, 0x1000, 0x4000
SOCKET_DIRS = ("/run", "/var/run", "/tmp", "/var/tmp", "/dev/shm")
"""Where programs leave their Unix sockets: PostgreSQL (/run/postgresql, /tmp/.s.PGSQL.*), Docker
(/run/docker.sock), D-Bus, X11 (/tmp/.X11-unix), tmux and screen (/tmp/tmux-<uid>), ssh-agent. A kernel that
could connect to one would act as the grader's user (peer authentication, a tmux server's commands, Docker);
Landlock does not cover connecting to a socket, so the kernel sees these folders empty."""


def _unshare_flags() -> int:
    return _CLONE_NEWUSER | _CLONE_NEWPID | _CLONE_NEWNET | _CLONE_NEWNS


def _map_own_ids(uid: int, gid: int) -> None:
    """In a new user namespace: the process's own user and group are themselves (the one mapping an unprivileged
    process may write), so that it can make the folders its mounts need; it gains nothing outside."""
    with open("/proc/self/setgroups", "w") as handle:
        handle.write("deny")
    with open("/proc/self/uid_map", "w") as handle:
        handle.write(f"{uid} {uid} 1")
    with open("/proc/self/gid_map", "w") as handle:
        handle.write(f"{gid} {gid} 1")


def _unshare() -> None:
    """New user, PID, network and mount namespaces for this process, with its own ids mapped."""
    uid, gid = os.getuid(), os.getgid()
    if _libc().unshare(_unshare_flags()) != 0:
        err = ctypes.get_errno()
        raise OSError(err, "unshare(user, pid, net, mount): " + os.strerror(err))
    _map_own_ids(uid, gid)


def namespaces_available() -> bool:
    """Can this process give a kernel its own user, PID, network and mount namespaces, and cover a folder there?
    (Checked in a throwaway child.)"""
    if not sys.platform.startswith("linux"):
        return False
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            _unshare()
            hide_socket_dirs([os.path.realpath(os.getcwd())], roots=("/tmp",))
            code = 0
        except OSError:
            pass
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def hide_socket_dirs(keep: list[str], roots: tuple[str, ...] = SOCKET_DIRS) -> None:
    """In this process's own mount namespace: cover each of ``roots`` with an empty tmpfs, then mount the folders
    of ``keep`` that lie inside it back at their places (the kernel's working folder, its connection folder, the
    course's data when they live under /tmp). Nothing changes outside the namespace (its mounts are slaves)."""
    libc = _libc()
    kept = sorted({os.path.realpath(k) for k in keep if os.path.isdir(k)})
    done: set[str] = set()
    for root in (os.path.realpath(r) for r in roots):
        if root in done or not os.path.isdir(root) or root in kept:
            continue
        done.add(root)
        inside = [k for k in kept if k.startswith(root + "/")]
        inside = [k for k in inside if not any(k.startswith(o + "/") for o in inside if o != k)]  # outermost only
        fds = [(k, os.open(k, os.O_PATH | os.O_CLOEXEC)) for k in inside]
        try:
            if libc.mount(b"smmkit", root.encode(), b"tmpfs", ctypes.c_ulong(_MS_NOSUID | _MS_NODEV | _MS_NOEXEC),
                          b"mode=0755,size=64k") != 0:
                err = ctypes.get_errno()
                raise OSError(err, f"mount(tmpfs, {root}): {os.strerror(err)}")
            for folder, fd in fds:
                os.makedirs(folder, exist_ok=True)
                if libc.mount(f"/proc/self/fd/{fd}".encode(), folder.encode(), None,
                              ctypes.c_ulong(_MS_BIND | _MS_REC), None) != 0:
                    err = ctypes.get_errno()
                    raise OSError(err, f"mount(bind, {folder}): {os.strerror(err)}")
        finally:
            for _, fd in fds:
                os.close(fd)


def enter_namespaces(keep: list[str] | None = None) -> None:
    """Make the rest of this process's life a kernel alone in new user, PID, network and mount namespaces.

    After ``unshare`` the next child is PID 1 of a new PID namespace: this process forks it and stays behind only to
    wait for it and pass on its exit code (it ignores SIGINT, which the grader sends to the whole process group to
    interrupt the kernel). When that child (the kernel) ends or is killed, the Linux kernel kills every process left
    in its namespace: nothing a notebook started outlives it. The network namespace has only a loopback interface,
    which is down: no TCP, UDP or raw socket reaches anything (the grader talks to the kernel over Unix sockets),
    and abstract Unix sockets are per network namespace. In the mount namespace the folders where programs keep
    Unix sockets are empty (:data:`SOCKET_DIRS`), except the folders of ``keep``.
    The process's own user and group are mapped to themselves and nothing else (files keep their real owner), so
    Landlock still decides what it reaches.
    """
    libc = _libc()
    _unshare()
    hide_socket_dirs(keep or [])
    pid = os.fork()
    if pid == 0:
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        return
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    code = 1
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            code = os.waitstatus_to_exitcode(status)
            break
        except InterruptedError:
            continue
        except ChildProcessError:
            break
    os._exit(code if code >= 0 else 128 - code)


def _kept_folders(limits: dict, cmd: list[str]) -> list[str]:
    """What a kernel in its own mount namespace must still see: its working folder, the folder of its connection
    file (and Unix sockets), and every folder Landlock lets it read or write."""
    connection_file, _ = _connection_ports(cmd)
    extra = [os.path.dirname(connection_file)] if connection_file else []
    return [os.getcwd(), *extra, *limits.get("read", []), *limits.get("write", [])]


def exec_main(args: list[str]) -> None:
    limits, cmd = _parse(args)
    if limits.get("namespaces"):
        enter_namespaces(_kept_folders(limits, cmd))
    cmd = apply_limits(limits, cmd)
    _quiet_stderr()
    os.execv(cmd[0], cmd)


# ------------------------------------------------------------------------------------------------------- zygote

# What every IPython kernel imports while it starts (measured: ``sys.modules`` of a fresh kernel).
KERNEL_MODULES = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.debugger", "IPython.extensions",
                  "sqlite3", "pdb", "tornado.queues")


def _runs_here(cmd: list[str]) -> bool:
    """Is ``cmd`` ``<this Python> -m ipykernel_launcher ...`` (so that a fork of this process can run it)?"""
    return (len(cmd) >= 3 and cmd[1:3] == ["-m", "ipykernel_launcher"]
            and os.path.realpath(cmd[0]) == os.path.realpath(sys.executable))


def _child(request: dict, close: list[int]) -> int:
    """In the forked child: become the kernel described by ``request``; return its exit code."""
    os.setsid()
    _libc().prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for fd in close:
        os.close(fd)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    os.close(devnull)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    limits, cmd = _parse(request["args"])
    if limits.get("namespaces"):
        enter_namespaces(_kept_folders(limits, cmd))
    cmd = apply_limits(limits, cmd)
    if not _runs_here(cmd):
        _quiet_stderr()
        os.execv(cmd[0], cmd)
    if "numpy" in sys.modules:  # a fresh process would seed numpy's global generator from the OS
        sys.modules["numpy"].random.seed()
    _quiet_stderr()
    import runpy

    sys.argv = [cmd[0], *cmd[3:]]
    sys.path.insert(0, os.getcwd())  # what `python -m` puts first; ipykernel_launcher takes it out again
    code = 0
    try:
        runpy.run_module("ipykernel_launcher", run_name="__main__", alter_sys=True)
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    import atexit

    atexit._run_exitfuncs()  # what the interpreter would do at exit (the fork ends with os._exit)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
    return code


def _runner_child(request: dict, close: list[int]) -> int:
    """In the forked child: become the test runner of :mod:`smmkit.grading.runner` (it needs the modules this
    zygote has imported), speaking its protocol over the Unix socket the grader listens on."""
    import socket

    os.setsid()
    _libc().prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    for fd in close:
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.connect(request["runner"])
    os.dup2(connection.fileno(), 0)
    os.dup2(connection.fileno(), 1)
    connection.close()
    from smmkit.grading import runner

    try:
        runner.main(list(request["args"]))
    except SystemExit as stop:  # the grader closed the socket: the normal end
        return stop.code if isinstance(stop.code, int) else 0
    return 0


def zygote_main(args: list[str]) -> None:
    values = dict(zip(args[::2], args[1::2], strict=True))
    if sys.path and os.path.realpath(sys.path[0] or ".") == os.path.dirname(os.path.realpath(__file__)):
        del sys.path[0]  # this script's folder (smmkit/grading) must not shadow top-level modules
    parent = int(values.get("--parent", "0"))
    _libc().prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if parent and os.getppid() != parent:
        return
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
        os.environ[var] = "1"
    out = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)  # whatever a preloaded module prints must not mix with the answers
    import importlib
    import threading

    saved_stderr = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)  # import-time chatter (debugpy warns about frozen modules); a kernel's stderr is muted too
    os.close(devnull)
    try:
        for name in KERNEL_MODULES:
            importlib.import_module(name)
        for name in filter(None, values.get("--preload", "").split(",")):
            try:
                module = importlib.import_module(name)
                if hasattr(module, "zygote_warm_up"):  # first-call set-up, done once for every fork
                    module.zygote_warm_up()
            except Exception:
                pass  # the kernel imports it (and reports the error) itself if it needs it
        if threading.active_count() != 1:
            raise RuntimeError(f"{threading.active_count()} threads after preloading: forking is unsafe")
    except Exception as exc:
        out.write(json.dumps({"error": f"{type(exc).__name__}: {exc}"}) + "\n")
        return
    finally:
        os.dup2(saved_stderr, 2)
        os.close(saved_stderr)
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    os.set_blocking(wake_r, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    out.write(json.dumps({"ready": os.getpid()}) + "\n")
    pending = b""
    children: set[int] = set()
    while True:
        try:
            ready, _, _ = select.select([0, wake_r], [], [])
        except InterruptedError:
            continue
        if wake_r in ready:
            try:
                os.read(wake_r, 4096)
            except BlockingIOError:
                pass
        while children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                children.clear()
                break
            if pid == 0:
                break
            children.discard(pid)
            out.write(json.dumps({"exit": pid, "code": os.waitstatus_to_exitcode(status)}) + "\n")
        if 0 not in ready:
            continue
        chunk = os.read(0, 65536)
        if not chunk:
            return  # the worker closed the pipe (or died)
        pending += chunk
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            request = json.loads(line)
            pid = os.fork()
            if pid == 0:
                code = 1
                try:
                    close = [wake_r, wake_w, out.fileno()]
                    code = _runner_child(request, close) if "runner" in request else _child(request, close)
                except BaseException:
                    traceback.print_exc()
                finally:
                    os._exit(code)
            children.add(pid)
            out.write(json.dumps({"pid": pid}) + "\n")


if __name__ == "__main__":
    mode, rest = sys.argv[1], sys.argv[2:]
    if mode == "exec":
        exec_main(rest)
    elif mode == "zygote":
        zygote_main(rest)
    else:
        raise SystemExit(f"unknown mode {mode!r}")
