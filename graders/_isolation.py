"""Isolation layers for student code, each applied where the machine allows it.

Every layer is a small function that either applies itself or says why it
cannot; the outcome is recorded and the parent reports missing layers (never
silently claiming one). The pipeline at the end of this file is the whole
security story in order: what the jail applies once per submission, and what
each probe adds. The fork server and the jail also use ``sweep`` and the
cgroup helpers to end anything a probe leaves behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import re
import resource
import shutil
import signal
import stat
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from graders._wire import ProbeRequest

CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x20000, 0x10000000, 0x20000000, 0x40000000
CLONE_NEWIPC = 0x8000000
MS_REC, MS_PRIVATE, MS_BIND, MS_REMOUNT, MS_RDONLY = 0x4000, 1 << 18, 4096, 32, 1
PR_SET_PDEATHSIG, PR_SET_CHILD_SUBREAPER, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 1, 36, 24, 38
# statvfs flags a read-only remount must keep (the kernel refuses to clear locked ones).
KEPT_MOUNT_FLAGS = (
    (os.ST_NOSUID, 2),
    (os.ST_NODEV, 4),
    (os.ST_NOEXEC, 8),
    (os.ST_NOATIME, 1024),
    (os.ST_NODIRATIME, 2048),
    (os.ST_RELATIME, 1 << 21),
)
NOBODY = 65534  # the uid and gid student code runs as when grading runs as root

MEMORY_LIMIT = 3 * 1024**3  # a CNN on a small batch needs well under 1 GiB
PROCESS_LIMIT = 256  # threads count too: torch starts one per core
OPEN_FILES = 256
WORKDIR_BYTES = 64 * 1024**2
SHM_BYTES = 64 * 1024**2
CGROUP_ROOTS = (Path("/sys/fs/cgroup"), Path("/sys/fs/cgroup/unified"))

_libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)


@dataclass(frozen=True)
class Layer:
    """One isolation layer and whether this machine let the child apply it."""

    name: str
    active: bool
    detail: str


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def _mount(source: str, target: str, fstype: str | None, flags: int, data: str | None) -> None:
    _check(
        _libc.mount(
            source.encode(),
            target.encode(),
            fstype.encode() if fstype else None,
            flags,
            data.encode() if data else None,
        ),
        f"mount {target}",
    )


def set_subreaper() -> bool:
    """Orphans of our children become ours (not init's), so we can end them."""
    return _libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0


def die_with_parent() -> None:
    _libc.prctl(PR_SET_PDEATHSIG, 9, 0, 0, 0)


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            found += [int(p) for p in task.read_text().split()]
    return found


def sweep() -> None:
    """Kill and reap every process left under the fork server (daemons, fork bombs)."""
    for _ in range(100):
        leftovers = _children(os.getpid())
        if not leftovers:
            return
        for pid in leftovers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, 9)
        for pid in leftovers:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)


# --- cgroups: memory and process limits the child cannot lift ----------------


def _cgroup_dirs(name: str) -> dict[str, Path]:
    """Controller to a cgroup directory we may create, for cgroup v2 or v1."""
    v2 = CGROUP_ROOTS[0] / "cgroup.controllers"
    if v2.is_file():
        controllers = v2.read_text().split()
        if {"memory", "pids"} <= set(controllers):
            return {"memory": CGROUP_ROOTS[0] / name, "pids": CGROUP_ROOTS[0] / name}
    return {
        c: CGROUP_ROOTS[0] / c / name
        for c in ("memory", "pids")
        if (CGROUP_ROOTS[0] / c / "cgroup.procs").is_file()
    }


def make_cgroups(name: str, parents: dict[str, Path] | None = None) -> dict[str, Path]:
    """Create cgroups with our limits; {} where not permitted.

    Without ``parents``: the fork server's own group under the root. With them:
    one group per probe inside the server's, so that no memory high-water mark,
    process count or charge carries over from one probe (or student) to the next.
    """
    made = {}
    limits = {
        "memory": [
            ("memory.max", MEMORY_LIMIT),
            ("memory.limit_in_bytes", MEMORY_LIMIT),
            ("memory.memsw.limit_in_bytes", MEMORY_LIMIT),
        ],
        "pids": [("pids.max", PROCESS_LIMIT)],
    }
    places = _cgroup_dirs(name) if parents is None else {c: d / name for c, d in parents.items()}
    for controller, directory in places.items():
        try:
            directory.mkdir(exist_ok=True)
            written = False
            for filename, value in limits[controller]:
                if (directory / filename).exists():
                    (directory / filename).write_text(str(value))
                    written = True
            if written:
                made[controller] = directory
        except OSError:
            continue
    if parents is None:
        _delegate(made)
    return made


def _delegate(cgroups: dict[str, Path]) -> None:
    """cgroup v2 only lets a group's children use a controller its subtree_control enables."""
    for directory in set(cgroups.values()):
        control = directory / "cgroup.subtree_control"
        with contextlib.suppress(OSError):
            if control.exists():
                control.write_text("+memory +pids")


def remove_cgroups(cgroups: dict[str, Path]) -> None:
    for directory in set(cgroups.values()):
        with contextlib.suppress(OSError):
            directory.rmdir()


def join_cgroups(cgroups: dict[str, Path]) -> list[Layer]:
    layers = []
    for controller in ("memory", "pids"):
        directory = cgroups.get(controller)
        try:
            if directory is None:
                raise OSError("no writable cgroup")
            (directory / "cgroup.procs").write_text(str(os.getpid()))
            detail = (f"a cgroup of its own per submission, its peak reset after each check, "
                      f"in {directory.parent}")
            layers.append(Layer(controller, True, detail))
        except OSError as error:
            layers.append(_rlimit_fallback(controller, str(error)))
    return layers


def _rlimit_fallback(controller: str, why: str) -> Layer:
    if controller == "memory":
        # RLIMIT_AS breaks `import torch`, but torch is already imported here:
        # cap new address space on top of what the process has mapped.
        mapped = _vm_size()
        resource.setrlimit(resource.RLIMIT_AS, (mapped + MEMORY_LIMIT,) * 2)
        return Layer("memory", True, f"address-space rlimit (cgroup unavailable: {why})")
    # Counted per user; a root child runs as nobody by then (drop_privileges).
    resource.setrlimit(resource.RLIMIT_NPROC, (PROCESS_LIMIT,) * 2)
    return Layer("pids", True, f"RLIMIT_NPROC per user (cgroup unavailable: {why})")


def _vm_size() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 0


_PEAK: list[int] = []  # the jail's descriptor that resets its memory high-water mark


def _open_peak_reset(cgroups: dict[str, Path]) -> None:
    """Opened while /sys is still writable (before the read-only remount); v1 resets
    memory.max_usage_in_bytes, v2 memory.peak where the kernel allows it."""
    directory = cgroups.get("memory")
    for name in ("memory.max_usage_in_bytes", "memory.peak"):
        with contextlib.suppress(OSError):
            if directory is not None:
                _PEAK.append(os.open(directory / name, os.O_WRONLY))
                return


def reset_peak() -> None:
    """After each probe: the next one starts from a fresh high-water mark."""
    for handle in _PEAK:
        with contextlib.suppress(OSError):
            os.write(handle, b"0")


def fresh_ipc() -> bool:
    """A new IPC namespace for one probe: nothing System V survives into the next."""
    return _libc.unshare(CLONE_NEWIPC) == 0


# --- namespaces: network, filesystem view, process view -----------------------


def unshare_namespaces() -> dict[str, str]:
    """Try each namespace; name to '' when applied, or the reason it was not."""
    results = {}
    if os.geteuid() != 0:
        uid, gid = os.getuid(), os.getgid()
        if _libc.unshare(CLONE_NEWUSER) == 0:
            Path("/proc/self/setgroups").write_text("deny")
            Path("/proc/self/uid_map").write_text(f"{uid} {uid} 1")
            Path("/proc/self/gid_map").write_text(f"{gid} {gid} 1")
    for name, flag in (
        ("network", CLONE_NEWNET),
        ("filesystem", CLONE_NEWNS),
        ("processes", CLONE_NEWPID),
        ("ipc", CLONE_NEWIPC),
    ):
        ok = _libc.unshare(flag) == 0
        results[name] = "" if ok else os.strerror(ctypes.get_errno())
    return results


def _inside(path: str, folder: str) -> bool:
    return path != folder and os.path.commonpath([path, folder]) == folder


def _cover(paths: list[str]) -> None:
    for path in sorted(set(paths)):  # a path under an earlier cover no longer exists
        if os.path.isdir(path):
            _mount("tmpfs", path, "tmpfs", 0, "size=1m,mode=0755")


def hide_paths(hidden: list[str], box: str, rebound: list[str] = ()) -> None:
    """Cover ``hidden`` with empty tmpfs mounts, then bring back the box and ``rebound``.

    ``rebound`` are directories under a cover that the child still needs (the
    Python installation). Each is bind-mounted back at its own path from a
    directory fd opened (in this mount namespace) before the covers went on;
    hidden paths inside them are covered again.
    """
    _mount("none", "/", None, MS_REC | MS_PRIVATE, None)
    back = [box, *(path for path in rebound if os.path.isdir(path))]
    fds = [os.open(path, os.O_RDONLY | os.O_DIRECTORY) for path in back]
    try:
        _cover(hidden)
        for path, fd in zip(back, fds, strict=True):
            os.makedirs(path, exist_ok=True)
            _mount(f"/proc/self/fd/{fd}", path, None, MS_BIND | MS_REC, None)
    finally:
        for fd in fds:
            os.close(fd)
    _cover([path for path in hidden if any(_inside(path, folder) for folder in rebound)])
    work = os.path.join(box, "work")
    os.makedirs(work, exist_ok=True)
    _mount("tmpfs", work, "tmpfs", 0, f"size={WORKDIR_BYTES},mode=0777")
    if os.path.isdir("/dev/shm"):  # a private one: nothing left behind, nothing shared
        _mount("tmpfs", "/dev/shm", "tmpfs", 0, f"size={SHM_BYTES},mode=1777")


def filesystem_sockets() -> list[str]:
    """Absolute paths of the Unix sockets bound in this network namespace.

    A network namespace does not cover sockets that live in the filesystem, and
    a read-only mount does not stop ``connect()``; a local service (a container
    runtime, a database) would be one call away. Read in the parent, before the
    child leaves the namespace.
    """
    try:
        lines = Path("/proc/net/unix").read_text().splitlines()[1:]
    except OSError:
        return []
    paths = {line.split(None, 7)[7] for line in lines if len(line.split(None, 7)) == 8}
    return sorted(path for path in paths if path.startswith("/"))


def cover_sockets(sockets: list[str]) -> int:
    """Cover each socket file still in view with /dev/null: ``connect()`` is then refused."""
    covered = 0
    for path in sockets:
        with contextlib.suppress(OSError):
            if stat.S_ISSOCK(os.stat(path, follow_symlinks=False).st_mode):
                _mount("/dev/null", path, None, MS_BIND, None)
                covered += 1
    return covered


def _mount_points() -> list[str]:
    points = [line.split()[4] for line in Path("/proc/self/mountinfo").read_text().splitlines()]
    return [re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), p) for p in points]


def read_only_except(writable: list[str]) -> None:
    """Remount every mount of this namespace read-only, except ``writable``.

    Without this, code that may write files its uid owns (the kit, the
    virtualenv) could change them for every later grading run. Mounts hidden
    under a later mount are unreachable and cannot be remounted (EINVAL).
    """
    keep = {os.path.realpath(path) for path in writable}
    for point in _mount_points():
        if point in keep:
            continue
        try:
            flags = os.statvfs(point).f_flag
            kept = sum(bit for flag, bit in KEPT_MOUNT_FLAGS if flags & flag)
            _mount("none", point, None, MS_REMOUNT | MS_BIND | MS_RDONLY | kept, None)
        except OSError as error:
            if error.errno not in (errno.EINVAL, errno.ENOENT, errno.EACCES):
                raise


class _CapHeader(ctypes.Structure):
    _fields_ = (("version", ctypes.c_uint32), ("pid", ctypes.c_int))


class _CapData(ctypes.Structure):
    _fields_ = (
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    )


def drop_privileges() -> Layer:
    """No capabilities, no way to regain any; as root, also become ``nobody``.

    A root child keeping its capabilities could undo every other layer
    (unmount the covers, leave the cgroups, see the host's processes), and
    uid 0 without capabilities still owns root's files and devices.
    """
    _libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    for cap in range(64):  # EINVAL past the last capability
        _libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)
    if os.geteuid() == 0:
        try:
            os.setgroups([])
            os.setresgid(NOBODY, NOBODY, NOBODY)
            os.setresuid(NOBODY, NOBODY, NOBODY)
        except OSError:  # e.g. a container without CAP_SETUID or with no uid 65534 mapped
            pass
    _check(_libc.capset(ctypes.byref(_CapHeader(0x20080522, 0)), (_CapData * 2)()), "capset")
    effective = next(
        line.split()[1]
        for line in Path("/proc/self/status").read_text().splitlines()
        if line.startswith("CapEff:")
    )
    if int(effective, 16) or os.geteuid() == 0:
        return Layer(
            "privileges",
            False,
            f"uid {os.geteuid()}, capabilities {effective}: could not become an unprivileged user",
        )
    return Layer("privileges", True, f"uid {os.getuid()}, no capabilities, no new privileges")


def copy_submission(directory: str, target: str) -> None:
    """The submission's own .py files, copied before everything else is hidden."""
    os.makedirs(target, exist_ok=True)
    for entry in os.scandir(directory):
        if entry.name.endswith(".py") and entry.is_file(follow_symlinks=False):
            shutil.copyfile(entry.path, os.path.join(target, entry.name))


def basic_limits(cpu_seconds: int, max_file_bytes: int) -> None:
    for limit, value in (
        (resource.RLIMIT_FSIZE, max_file_bytes),
        (resource.RLIMIT_CORE, 0),
        (resource.RLIMIT_NOFILE, OPEN_FILES),
        (resource.RLIMIT_CPU, cpu_seconds),
    ):
        resource.setrlimit(limit, (value, value))


def scrubbed_environment(home: str) -> dict[str, str]:
    keep = {k: os.environ[k] for k in ("PATH", "LANG", "LC_ALL", "TZ") if k in os.environ}
    return {
        **keep,
        "HOME": home,
        "TMPDIR": home,
        "OMP_NUM_THREADS": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def mount_proc() -> None:
    """A /proc that shows only this PID namespace."""
    _mount("proc", "/proc", "proc", 0, None)


def hideable(paths: list[str], keep: list[str]) -> tuple[list[str], list[str]]:
    """Which ``paths`` to cover, and which ``keep`` directories to bring back from under a cover.

    ``keep`` is what the child still needs (the Python installation): never
    covered itself, and bind-mounted back where a cover lies over it.
    """
    keep = [os.path.realpath(path) for path in keep]
    hidden = sorted(
        {real for real in map(os.path.realpath, paths) if real != "/" and real not in keep}
    )
    under = {k for k in keep if any(_inside(k, folder) for folder in hidden)}
    return hidden, sorted(k for k in under if not any(_inside(k, other) for other in under))


# --- the pipeline: the whole security story, in the order it is applied -------------
#
# The parent enforces two layers itself: the time limit (the jail kills a probe at its
# deadline, the parent kills a jail that does not answer) and the output cap. The jail
# applies JAIL_STEPS once per submission, never importing student code; each probe, a
# fork of the jail, applies PROBE_STEPS. A step returns the layers it set up, each
# saying whether this machine allowed it: missing layers are reported, never claimed.

ALWAYS_ON = (
    Layer("time limit", True, "the jail kills the probe's process group at the deadline"),
    Layer("leftover processes", True, "the jail ends whatever a probe leaves running"),
    Layer("output", True, "at most 64 KiB of output is read"),
    Layer("files", True, "file size, open files and CPU time rlimits; stdin is /dev/null"),
    Layer("environment", True, "scrubbed environment, fresh empty working directory"),
)
TIMINGS: list = []  # (step, seconds) of this jail's set-up, for benchmarks/probe_overhead.py
KIT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@dataclass(frozen=True)
class Step:
    """One isolation step: a name, and a function applying it that returns its layers."""

    name: str
    apply: Callable[[ProbeRequest, dict], list[Layer]]


def _session(request: ProbeRequest, cgroups: dict) -> list[Layer]:
    """Its own session; the box closed to others; the submission copied in."""
    os.setsid()
    os.umask(0o022)
    os.chmod(request.box, 0o711)  # `nobody` may pass through to work/ and submission/ only
    if request.exercise:
        copy_submission(request.directory, os.path.join(request.box, "submission"))
    os.makedirs(os.path.join(request.box, "work"), exist_ok=True)
    return []


def _wait_and_mirror(pid: int) -> None:
    """Wait for ``pid`` and end this process the same way (exit code or signal)."""
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except ChildProcessError:
            os._exit(70)
        except InterruptedError:
            continue
    if os.WIFSIGNALED(status):
        signum = os.WTERMSIG(status)
        if signum not in (signal.SIGKILL, signal.SIGSTOP):  # their handlers cannot be set
            signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        os._exit(128 + signum)  # not reached unless the signal is blocked
    os._exit(os.WEXITSTATUS(status))


def _enter_process_namespace(remount_proc: bool) -> None:
    """Continue as pid 1 of the new PID namespace (unshared before).

    When it ends, the kernel ends every process left in the namespace, and
    nothing inside can see or signal the grader.
    """
    init = os.fork()
    if init:
        _wait_and_mirror(init)
    die_with_parent()
    if remount_proc:
        with contextlib.suppress(OSError):
            mount_proc()


def _namespaces(request: ProbeRequest, cgroups: dict) -> list[Layer]:
    """Network, mount (covers, sockets, read-only remount), PID and IPC namespaces."""
    reasons = unshare_namespaces()
    hidden = not reasons["filesystem"]
    if hidden:
        try:
            hide_paths(list(request.hidden), request.box, list(request.rebound))
            cover_sockets(list(request.sockets))
        except OSError as error:
            hidden, reasons["filesystem"] = False, str(error)
    if not reasons["processes"]:
        _enter_process_namespace(remount_proc=hidden)
    if hidden:
        try:  # the box stays writable for the jail (root-only): probes' result files
            read_only_except([request.box, os.path.join(request.box, "work"), "/dev/shm"])
        except OSError as error:
            hidden, reasons["filesystem"] = False, str(error)
    return _namespace_layers(reasons, hidden)


def _namespace_layers(reasons: dict, hidden: bool) -> list[Layer]:
    return [
        Layer("network", not reasons["network"],
              reasons["network"] or "own network namespace with no interfaces"),
        Layer("filesystem", hidden, reasons["filesystem"] or (
            "kit, course, other submissions, the grader's paths, temporary directories and "
            "homes covered by empty mounts; all else read-only but the working directory")),
        Layer("unix sockets", hidden and not reasons["network"],
              reasons["filesystem"] or reasons["network"] or (
                  "/run and every other filesystem socket in use covered; abstract sockets "
                  "left behind with the network namespace")),
        Layer("process view", not reasons["processes"],
              reasons["processes"] or "own PID namespace: cannot see or signal the grader"),
        Layer("ipc", not reasons["ipc"], reasons["ipc"] or (
            "own IPC namespace per check: System V shared memory, semaphores and message "
            "queues end with the check")),
    ]


def _cgroups(request: ProbeRequest, cgroups: dict) -> list[Layer]:
    """The submission's memory and pids cgroups, made for this jail by the fork server."""
    layers = join_cgroups(cgroups)
    _open_peak_reset(cgroups)
    return layers


def _reaper(request: ProbeRequest, cgroups: dict) -> list[Layer]:
    """Without a PID namespace, the probes' orphans come to the jail, which ends them."""
    os.chmod(os.path.join(request.box, "work"), 0o777)  # writable after the privilege drop
    set_subreaper()
    return []


def _probe_files(request: ProbeRequest, layers: dict) -> list[Layer]:
    """Its own session and IPC namespace; rlimits; the empty working directory as home."""
    os.setsid()
    fresh_ipc()  # System V objects of an earlier probe stay behind
    basic_limits(request.cpu_seconds, request.max_file_bytes)
    work = os.path.join(request.box, "work")
    os.chdir(work)
    os.environ.clear()
    os.environ.update(scrubbed_environment(work))
    sys.dont_write_bytecode = True
    # Only the kit's root goes: a virtualenv may live inside it (nox's .nox/).
    sys.path[:] = [p for p in sys.path if p and p != "." and os.path.realpath(p) != KIT_ROOT]
    return []


def _privileges(request: ProbeRequest, layers: dict) -> list[Layer]:
    return [drop_privileges()]  # last: every step before needs the privileges


JAIL_STEPS = (
    Step("session and submission copy", _session),
    Step("cgroups", _cgroups),
    Step("namespaces, covers, read-only remount", _namespaces),
    Step("reaper", _reaper),
)
PROBE_STEPS = (
    Step("session, ipc, rlimits, working directory", _probe_files),
    Step("privileges", _privileges),
)


def run_jail_pipeline(request: ProbeRequest, cgroups: dict) -> list[Layer]:
    """JAIL_STEPS in order, once per submission; the layers they set up."""
    layers: list[Layer] = []
    for step in JAIL_STEPS:
        start = time.perf_counter()
        layers += step.apply(request, cgroups)
        TIMINGS.append((step.name, time.perf_counter() - start))
    return layers


def run_probe_pipeline(request: ProbeRequest, jail_layers: list[Layer]) -> list[Layer]:
    """PROBE_STEPS in order, in each probe; every layer in force for it."""
    layers = [*ALWAYS_ON, *jail_layers]
    for step in PROBE_STEPS:
        layers += step.apply(request, {})
    return layers
