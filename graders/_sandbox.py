"""Parent side of the sandbox: send probes to the fork server, decide what came back.

Student code never runs in this process. What a child returns is read by the
bounded decoder of ``graders._wire``: a closed format, no unpickling.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import pickle
import select
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import zlib
from pathlib import Path
from typing import Any

from graders._isolation import Layer, filesystem_sockets, hideable
from graders._layout import ROOT
from graders._text import printable
from graders._wire import (
    ANSWER,
    JAIL_DIED,
    TIMED_OUT,
    TOO_LARGE_REASON,
    Crashed,
    Limits,
    ProbeRequest,
    decode_outcome,
    write_message,
)

MAX_OUTPUT_BYTES = 64 * 1024
JAIL_GRACE = 15.0  # seconds past a probe's deadline before the parent ends its jail

class SandboxBroken(RuntimeError):
    """The fork server itself died: grading cannot go on."""


def _describe_status(status: int) -> str:
    if os.WIFSIGNALED(status):
        signum = os.WTERMSIG(status)
        name = signal.Signals(signum).name if signum in signal.valid_signals() else str(signum)
        return f"crashed: killed by signal {name}"
    code = os.WEXITSTATUS(status)
    return f"exited with status {code} (sys.exit or os._exit) before returning"


class Sandbox:
    """A fork server process plus the bookkeeping to run probes in its children."""

    def __init__(self, hidden: tuple[str, ...] = (), *, warm: tuple[str, ...] = (),
                 lanes: int = 1) -> None:
        """``hidden``: more directories children must not see (e.g. a class's submissions);
        ``warm``: what the run will use (``graders._layout.warm_ups``: the meta device,
        scikit-learn), imported by the fork server as it starts, while the parent starts;
        ``lanes``: how many grading processes may use it at once (``graders._lanes``), each
        with a warm server of its own forked from the first."""
        self._warm = tuple(warm)
        self.lanes = max(1, lanes)
        self._lane = 0  # which lane this process uses; 0: the one that started the server
        self._boxes = "jail"  # the names of this process's boxes start so
        self._pipes: tuple[int, int] | None = None  # to the server, from it
        self._lane_pipes: list[tuple[int, int]] = []  # the other lanes' (lane 0 only)
        self._process: subprocess.Popen | None = None
        self._scratch = tempfile.TemporaryDirectory(prefix="torchgrade-")
        os.chmod(self._scratch.name, 0o711)  # children may run as nobody: they must reach their box
        self._hidden = tuple(hidden)
        self._count = 0
        self._box: Path | None = None
        self._jail_key: tuple | None = None
        self._probe_counts: dict[tuple, int] = {}
        self._cuda: bool | None = None
        self._layers: tuple[Layer, ...] | None = None
        self._covers: tuple[tuple, tuple] | None = None  # (what they depend on, covers)

    def start(self) -> Sandbox:
        if self._lane:  # another process started this lane's server; it cannot be restarted
            return self
        if self._process is None or self._process.poll() is not None:
            self._close_lanes()
            # Each further lane: (the server reads, we write), (we read, the server writes).
            more = [(os.pipe(), os.pipe()) for _ in range(self.lanes - 1)]
            server_ends = [(down[0], up[1]) for down, up in more]
            self._process = subprocess.Popen(
                [sys.executable, "-m", "graders._zygote",
                 *(["--warm", ",".join(self._warm)] if self._warm else []),
                 *(["--lanes", ",".join(f"{r}:{w}" for r, w in server_ends)] if more else [])],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,  # nbgrader zeroes cells that write to stderr
                cwd=self._scratch.name,
                env=_server_environment(),
                pass_fds=[fd for pair in server_ends for fd in pair],
                # Out of the terminal's process group: Ctrl-C is this process's to handle,
                # and to pass on (interrupt) once it has stopped asking for probes.
                start_new_session=True,
            )
            for fd in (fd for pair in server_ends for fd in pair):
                os.close(fd)
            self._lane_pipes = [(down[1], up[0]) for down, up in more]
            self._pipes = (self._process.stdin.fileno(), self._process.stdout.fileno())
        return self

    def become_lane(self, lane: int) -> None:
        """In a grading process forked from the one that started this sandbox: use lane
        ``lane``'s server from now on, and let go of every other lane's pipes."""
        for number, pair in enumerate(self._lane_pipes, start=1):
            if number != lane:
                for fd in pair:
                    os.close(fd)
        self._process.stdin.close()  # lane 0's pipes; its server ends when its parent closes
        self._process.stdout.close()
        self._pipes, self._lane_pipes, self._lane = self._lane_pipes[lane - 1], [], lane
        self._jail_key = self._box = None
        self._boxes = f"jail-{lane}.{os.getpid()}"  # an earlier grade's lane left its last box

    def begin_run(self) -> None:
        """A new grade: its probes' seeds start again, so that grading the same files again
        gives the same result, whatever this sandbox graded before."""
        self._probe_counts.clear()

    def _close_lanes(self) -> None:
        for fd in (fd for pair in self._lane_pipes for fd in pair):
            os.close(fd)  # each lane's server ends on the end of its input
        self._lane_pipes = []

    def hide(self, directories: tuple[str, ...]) -> None:
        """Cover more directories from every jail started from now on (another class, an
        output folder); a running jail is for one submission and ends with it."""
        self._hidden = (*self._hidden, *directories)

    def isolation(self) -> tuple[Layer, ...]:
        """Every isolation layer, and whether this machine let the children apply it."""
        if self._layers is None:
            result = self.run(Path("."), "", "graders._child:isolation_report", (), {}, 60.0)
            # The probe reports every layer in force for it (graders._isolation's pipeline).
            reported = getattr(result, "value", [])
            self._layers = tuple(Layer(n, bool(a), str(d)) for n, a, d in reported)
        return self._layers

    def cuda_available(self) -> bool:
        """Whether children can use CUDA (asked once, in a child)."""
        if self._cuda is None:
            result = self.run(Path("."), "", "graders._child:cuda_available", (), {}, 60.0)
            self._cuda = bool(getattr(result, "value", False))
        return self._cuda

    def close(self) -> None:
        if self._lane:  # a forked grading process: the process that started the server ends it
            return
        self._close_lanes()
        if self._process is not None:
            self._process.stdin.close()  # the server exits on end of input
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process.stdout.close()
            self._process = self._pipes = None
        self._scratch.cleanup()

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, kind: type | None, *exc_info: object) -> None:
        if kind is not None and issubclass(kind, KeyboardInterrupt):
            self.interrupt()
        self.close()

    def interrupt(self) -> None:
        """Ctrl-C, passed on: the servers run in a session of their own, so the terminal's
        SIGINT reached only this process. Each server then ends its jail (and the probe in
        it) and its cgroups, and exits, instead of first waiting for a probe to finish."""
        if self._process is not None and not self._lane:
            with contextlib.suppress(OSError):
                os.killpg(self._process.pid, signal.SIGINT)  # the first server and the lanes

    def run(
        self, directory: Path, exercise: str, probe: str, args: tuple, kwargs: dict, timeout: float,
        *, needs_meta: bool = False,
    ) -> Any:
        """Run one probe in a fresh fork of this submission's jail; an outcome or ``Crashed``.

        ``needs_meta``: warm the meta device in the fork server first (also when the probe's
        name or arguments say "meta"); the warm-up happens before the jail, off the clock.
        """
        self.start()
        self._count += 1
        directory = Path(directory).resolve()
        hidden, rebound = self._hidden_from(directory)
        sockets = tuple(filesystem_sockets())
        request = ProbeRequest(
            directory=str(directory),
            exercise=exercise,
            probe=probe,
            box=str(self._box_for((str(directory), exercise, hidden, rebound, sockets,
                                   _files_stamp(directory)))),
            args=args,
            kwargs=kwargs,
            hidden=hidden,
            rebound=rebound,
            sockets=sockets,
            cpu_seconds=int(timeout) + 5,
            timeout=timeout,
            count=self._count,
            needs_meta=needs_meta or _mentions_meta(probe, args, kwargs),
            seed=self._next_seed(exercise, probe),
        )
        try:
            return self._outcome(request, self._exchange(request, timeout))
        finally:
            for path in (request.result_path(), request.output_path()):
                with contextlib.suppress(OSError):
                    os.unlink(path)

    def _next_seed(self, exercise: str, probe: str) -> int:
        """Unseeded student code must draw other numbers in every probe (so that it does not
        look reproducible), yet grading the same file again must give the same result: the
        seed follows the exercise, the probe and its place among this jail's probes in this
        run, whichever lane grades it and whatever other probes came in between."""
        count = self._probe_counts.get(self._jail_key, 0) + 1
        self._probe_counts[self._jail_key] = count
        return probe_seed(exercise, probe, count)

    def _box_for(self, key: tuple) -> Path:
        """The jail's box: the same submission keeps its jail, another gets a new one."""
        if key != self._jail_key:
            if self._box is not None:
                shutil.rmtree(self._box, ignore_errors=True)
            self._box = Path(self._scratch.name) / f"{self._boxes}-{self._count}"
            self._box.mkdir()
            self._jail_key = key
        return self._box

    def _hidden_from(self, directory: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The covers for this directory, worked out again only when what they depend on
        changed (they cost milliseconds, and every probe asks)."""
        key = (directory, os.getcwd(), tuple(sys.path), self._hidden,
               tuple(map(id, sys.meta_path)))
        if self._covers is None or self._covers[0] != key:
            self._covers = (key, self._work_out_hidden(directory))
        return self._covers[1]

    def _work_out_hidden(self, directory: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """What children must not see, and what to bring back from under it (Python itself).

        Covered: the whole kit (a course/ or a class inside it included), any other
        copy of it this Python would import from (an editable install of another
        checkout, a wheel's packages in site-packages), the
        submission's parent (other students), this sandbox's boxes, whatever the
        caller hid (a course, batch --out), /run (service sockets), temporary
        directories, homes, and every directory on the grader's sys.path and its
        working directory that is not Python's own installation.
        """
        python = [os.path.realpath(path) for path in _python_itself()]
        grader_paths = [os.getcwd(), *(p for p in sys.path if p and os.path.isdir(p))]
        candidates = [
            str(ROOT),
            *_kit_packages(),
            str(directory.parent),
            self._scratch.name,
            *self._hidden,
            "/run",
            "/var/run",
            tempfile.gettempdir(),
            "/tmp",
            "/var/tmp",
            "/home",
            os.path.expanduser("~"),
            # The grader's own paths, unless they are Python itself (its lib-dynload...).
            *(p for p in grader_paths
              if not any(Path(os.path.realpath(p)).is_relative_to(place) for place in python)),
        ]
        hidden, rebound = hideable(candidates, python)
        return tuple(hidden), tuple(rebound)

    def _outcome(self, request: ProbeRequest, status: int | str) -> Any:
        output = _read_capped(Path(request.output_path()))
        if isinstance(status, str):
            return Crashed(status, output)
        outcome = _load_result(Path(request.result_path()))
        if outcome is None:
            return Crashed(_describe_status(status), output)
        return outcome

    def _exchange(self, request: ProbeRequest, timeout: float) -> int | str:
        payload = pickle.dumps(request)
        try:
            write_message(self._pipes[0], payload)
            jail = ANSWER.unpack(self._read(ANSWER.size))[0]
        except (BrokenPipeError, EOFError) as error:
            self._broken()
            raise SandboxBroken("the grading fork server stopped") from error
        # The jail enforces the deadline; this is the backstop should the jail itself hang.
        ready, _, _ = select.select([self._pipes[1]], [], [], timeout + JAIL_GRACE)
        if not ready:
            _kill_group(jail, still_running=True)
        status = ANSWER.unpack(self._read(ANSWER.size))[0]
        if status == TIMED_OUT or not ready:
            return f"timed out after {timeout:g} s"
        if status == JAIL_DIED:
            self._jail_key = None  # the fork server starts a new jail for the next probe
            return "ended the grading jail itself (it was replaced for the next check)"
        return status

    def _read(self, size: int) -> bytes:
        data = os.read(self._pipes[1], size)
        if len(data) != size:
            self._broken()
            raise EOFError
        return data

    def _broken(self) -> None:
        """The server is gone: lane 0 starts another at its next probe, other lanes cannot."""
        if not self._lane:
            self._process = self._pipes = None


def probe_seed(exercise: str, probe: str, count: int) -> int:
    """The seed of the ``count``-th probe: the same probe at the same place, the same numbers."""
    return zlib.crc32(f"{exercise}|{probe}|{count}".encode())


def _files_stamp(directory: Path) -> tuple:
    """What the jail's copy of the submission was made from (its .py files' names, sizes and
    times): grading the same folder again after an edit, in the same sandbox, must not grade
    the copy of the old files."""
    try:
        return tuple(sorted((entry.name, entry.stat(follow_symlinks=False).st_size,
                             entry.stat(follow_symlinks=False).st_mtime_ns)
                            for entry in os.scandir(directory) if entry.name.endswith(".py")))
    except OSError:  # no such folder: the probe says so
        return ()


def _mentions_meta(probe: str, args: tuple, kwargs: dict) -> bool:
    """Whether a probe may use the meta device: its name or an argument says "meta"."""
    values = [*args, *kwargs.values()]
    values += [item for value in values if isinstance(value, (list, tuple)) for item in value]
    return "meta" in probe.lower() or any(isinstance(v, str) and v == "meta" for v in values)


def _python_itself() -> list[str]:
    """The directories a child needs to run Python, torch and NumPy: never covered."""
    paths = sysconfig.get_paths()
    places = [sys.prefix, sys.base_prefix, os.path.dirname(os.__file__), paths["purelib"],
              paths["platlib"]]
    for package in ("torch", "numpy"):
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.origin:
            places.append(os.path.dirname(os.path.dirname(spec.origin)))
    return places


def _kit_packages() -> list[str]:
    """Where this Python could import the kit's packages from (the answer key above all),
    and the checkouts they belong to. Every finder is asked, not just the first: an
    editable install's finder may point at another copy of the kit than the one grading
    (whose own folder is covered, so a child's import falls through to it), and a plain
    install puts ``solutions`` into site-packages."""
    found = []
    for name in ("solutions", "graders", "exercises"):
        for finder in sys.meta_path:
            try:
                spec = finder.find_spec(name, None)
            except (ImportError, ValueError, AttributeError, TypeError):
                continue
            for location in (spec.submodule_search_locations or []) if spec else []:
                found.append(location)
                if (Path(location).parent / "pyproject.toml").is_file():  # a kit checkout
                    found.append(str(Path(location).parent))
    return list(dict.fromkeys(found))


def _server_environment() -> dict[str, str]:
    """A scrubbed environment: the fork server and its children see no secrets."""
    keep = ("PATH", "LANG", "LC_ALL", "TZ", "HOME", "CUDA_VISIBLE_DEVICES", "VIRTUAL_ENV")
    env = {key: os.environ[key] for key in keep if key in os.environ}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    # The server's heap (torch's Python objects, ~150 MB) in transparent huge pages: each
    # probe's fork and exit then copy and free one page-table entry per 2 MB instead of
    # per 4 kB. A full grade's system time fell from 6.4-7.2 s to 4.7-5.2 s here, its wall
    # time by 7 to 19%. pymalloc's arenas are too small for huge pages, so Python's
    # objects go to glibc's malloc. Children see neither variable (their environment is
    # scrubbed); a glibc without the tunable ignores it.
    env.update(PYTHONMALLOC="malloc", GLIBC_TUNABLES="glibc.malloc.hugetlb=1")
    # One thread per BLAS and OpenMP pool: children run on one core each, and the server
    # forks with no worker threads that a child would inherit half-initialised.
    env.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    return env


def _kill_group(pid: int, still_running: bool) -> None:
    # Once reaped, the pid may be reused: only the process group (which
    # outlives the child while its leftovers run) is safe to target then.
    for kill in (os.killpg, os.kill) if still_running else (os.killpg,):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            kill(pid, signal.SIGKILL)


def _read_capped(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_OUTPUT_BYTES + 1)
    except OSError:
        return ""
    text = printable(data[:MAX_OUTPUT_BYTES].decode("utf-8", errors="replace"), MAX_OUTPUT_BYTES,
                     lines=True)
    return text + ("\n[output cut]" if len(data) > MAX_OUTPUT_BYTES else "")


def _load_result(path: Path) -> Any:
    """The child's result, or None where it wrote none (it ended before answering)."""
    limits = Limits()
    try:
        with path.open("rb") as handle:
            data = handle.read(limits.bytes + 1)
    except FileNotFoundError:
        return None
    if not data:  # created by the child before student code ran, never written
        return None
    if len(data) > limits.bytes:
        return Crashed(TOO_LARGE_REASON)
    return decode_outcome(data, limits)
