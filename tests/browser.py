"""Open a report in headless Chromium, offline, and say what a person would have seen.

``load`` copies the page with a watcher script injected first in ``<head>``: it records every
console message and uncaught error, every resource the page fetched, whether each image
loaded, and any ``data-probe`` JavaScript a test asks for, into an attribute of ``<html>``.
Chromium prints the DOM once the page has loaded (``--dump-dom``); the attribute is read
back from it. The network is off: every host resolves to nothing and every request goes to
a proxy that is not there, so a page that needs the network shows it as a failed image or
resource. ``screenshot`` renders the page to PNG; ``blank`` tells a page of one colour.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import zlib
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser"))), None)
OFFLINE = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
           "--enable-logging=stderr", "--v=0")
WATCHER = """<script>(() => {
  const seen = {console: [], errors: [], resources: [], images: [], probe: null};
  for (const level of ["log", "info", "warn", "error", "debug"]) {
    const own = console[level];
    console[level] = (...args) => { seen.console.push(level + ": " + args.join(" "));
                                    own.apply(console, args); };
  }
  addEventListener("error", (e) => seen.errors.push(String(e.message || e.target.src)), true);
  addEventListener("load", () => {
    seen.resources = performance.getEntriesByType("resource").map((r) => r.name);
    seen.images = [...document.images].map((i) => i.complete && i.naturalWidth > 0);
    seen.svgs = document.querySelectorAll("svg").length;
    try { seen.probe = PROBE; } catch (e) { seen.errors.push("probe: " + e); }
    document.documentElement.setAttribute("data-seen", JSON.stringify(seen));
  });
})();</script>"""


@dataclass(frozen=True)
class Seen:
    console: tuple[str, ...]  # console messages (a report logs none) and Chromium's CONSOLE lines
    errors: tuple[str, ...]  # uncaught errors, resources that failed to load
    resources: tuple[str, ...]  # everything fetched besides the page itself
    images: tuple[bool, ...]  # per <img>: loaded
    svgs: int
    probe: object  # what the test's PROBE expression gave


def load(page: Path, probe: str = "null", timeout: float = 60) -> Seen:
    """Load ``page`` offline in headless Chromium with the watcher; ``probe`` is a JavaScript
    expression evaluated once the page has loaded (its JSON comes back as ``Seen.probe``)."""
    watched = page.with_name(f"watched-{page.name}")
    text = page.read_text(encoding="utf-8")
    script = WATCHER.replace("PROBE", probe)
    head = re.search(r"<head[^>]*>", text, re.IGNORECASE)
    at = head.end() if head else 0
    watched.write_text(text[:at] + script + text[at:], encoding="utf-8")
    done = subprocess.run([CHROMIUM, *OFFLINE, "--dump-dom", watched.as_uri()],
                          capture_output=True, text=True, timeout=timeout, check=False,
                          env={**os.environ, "HOME": str(page.parent)})
    found = re.search(r'data-seen="([^"]*)"', done.stdout)
    if found is None:
        raise AssertionError(f"the page never finished loading: {done.stderr[-1500:]}")
    seen = json.loads(_unescape(found.group(1)))
    chromium = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    return Seen(tuple(seen["console"]) + tuple(chromium), tuple(seen["errors"]),
                tuple(seen["resources"]), tuple(seen["images"]), seen["svgs"], seen["probe"])


def _unescape(attribute: str) -> str:
    import html

    return html.unescape(attribute)


def screenshot(page: Path, png: Path, width: int = 1200, height: int = 1600) -> Path:
    """Render ``page`` (offline) to ``png``, ``width`` x ``height`` CSS pixels."""
    subprocess.run([CHROMIUM, *OFFLINE, f"--screenshot={png}", f"--window-size={width},{height}",
                    "--hide-scrollbars", page.as_uri()], capture_output=True, timeout=60,
                   check=True, env={**os.environ, "HOME": str(page.parent)})
    return png


def colours(png: Path) -> int:
    """How many distinct pixel colours the PNG's first 400 rows hold (1: a blank page)."""
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{png} is not a PNG"
    chunks, at = {}, 8
    while at < len(data):
        size, kind = struct.unpack(">I4s", data[at:at + 8])
        chunks.setdefault(kind, []).append(data[at + 8:at + 8 + size])
        at += 12 + size
    width, height, depth, colour_type = struct.unpack(">IIBB", chunks[b"IHDR"][0][:10])
    assert depth == 8, "Chromium writes 8 bits a channel"
    assert colour_type in (2, 6), "Chromium writes RGB or RGBA"
    channels = 3 if colour_type == 2 else 4
    raw = zlib.decompress(b"".join(chunks[b"IDAT"]))
    stride, seen = width * channels, set()
    previous = bytearray(stride)
    for row in range(min(height, 400)):
        start = row * (stride + 1)
        line = _unfilter(raw[start], bytearray(raw[start + 1:start + 1 + stride]), previous,
                         channels)
        seen.update(bytes(line[i:i + 3]) for i in range(0, stride, channels))
        previous = line
    return len(seen)


def _unfilter(kind: int, line: bytearray, above: bytearray, bpp: int) -> bytearray:
    """PNG's per-row filters (None, Sub, Up, Average, Paeth), undone in place."""
    for i in range(len(line)):
        left = line[i - bpp] if i >= bpp else 0
        up, corner = above[i], above[i - bpp] if i >= bpp else 0
        if kind == 1:
            line[i] = (line[i] + left) & 0xFF
        elif kind == 2:
            line[i] = (line[i] + up) & 0xFF
        elif kind == 3:
            line[i] = (line[i] + (left + up) // 2) & 0xFF
        elif kind == 4:
            p = left + up - corner
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
            best = left if pa <= pb and pa <= pc else up if pb <= pc else corner
            line[i] = (line[i] + best) & 0xFF
    return line
