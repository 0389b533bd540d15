"""Tries to lift its limits: rlimits, its cgroup, mounts, namespaces, capabilities.

It raises every rlimit, writes its cgroup's limits and moves itself to the
root cgroup, unmounts the empty covers over the kit, remounts / read-write,
mounts a fresh /proc, makes a user namespace of its own to regain
capabilities and tries again there, and drops a .pth into site-packages.
Children hold no capabilities and everything they could use is read-only or
locked, so every attempt fails.

checks: numpy_returns_float
score: 0
hint: sandbox held
requires: filesystem, privileges
"""

import ctypes
import os
import resource
import site
from pathlib import Path

import graders

libc = ctypes.CDLL(None, use_errno=True)
KIT = os.path.dirname(os.path.dirname(os.path.abspath(graders.__file__)))
MS_REMOUNT, MS_BIND, MNT_DETACH = 32, 4096, 2
CLONE_NEWUSER, CLONE_NEWNS = 0x10000000, 0x20000


def _rlimits() -> list[str]:
    lifted = []
    for name in ("RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_NOFILE", "RLIMIT_NPROC", "RLIMIT_AS"):
        limit = getattr(resource, name)
        hard = resource.getrlimit(limit)[1]
        if hard == resource.RLIM_INFINITY:
            continue
        try:
            resource.setrlimit(limit, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
            lifted.append(name)
        except (ValueError, OSError):
            pass
    return lifted


def _cgroups() -> list[str]:
    done = []
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        controllers, path = line.split(":", 2)[1:]
        for controller in controllers.split(",") or [""]:
            base = Path("/sys/fs/cgroup", controller)
            for target, text in ((base / path.lstrip("/") / "memory.limit_in_bytes", "-1"),
                                 (base / path.lstrip("/") / "memory.max", "max"),
                                 (base / path.lstrip("/") / "pids.max", "max"),
                                 (base / "cgroup.procs", str(os.getpid()))):
                try:
                    target.write_text(text)
                    done.append(str(target))
                except OSError:
                    pass
    return done


def _mounts() -> list[str]:
    done = []
    for target in ("solutions", "graders", "tests"):
        if libc.umount2(os.path.join(KIT, target).encode(), MNT_DETACH) == 0:
            done.append(f"unmounted {target}")
    if libc.mount(b"none", b"/", None, MS_REMOUNT | MS_BIND, None) == 0:
        done.append("remounted / read-write")
    if libc.mount(b"proc", b"/proc", b"proc", 0, None) == 0 and len(os.listdir("/proc")) > 80:
        done.append("mounted the host's /proc")
    return done


def _writes() -> list[str]:
    done = []
    for folder in (KIT, os.path.join(KIT, "graders"), *site.getsitepackages()):
        try:
            Path(folder, "torchgrade-pwned-lift.pth").write_text("# a marker\n")
            done.append(f"wrote into {folder}")
        except OSError:
            pass
    return done


def _attempts() -> list[str]:
    done = _rlimits() + _cgroups() + _mounts() + _writes()
    if Path("/proc/self/status").read_text().split("CapEff:")[1].split()[0].strip("0"):
        done.append("kept capabilities")
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNS) == 0:  # capabilities again, in a new namespace
        done += [f"in a user namespace: {what}" for what in _mounts() + _writes()]
    return done


def mse(y_pred, y):
    done = _attempts()
    if done:
        raise RuntimeError(f"ESCAPED: {done}")
    raise RuntimeError("sandbox held: no limit lifted, no mount changed, nothing written")
