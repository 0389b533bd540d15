"""Hand-written SVG for the student's HTML report: the score bar, loss curves, gradient bars.

No plotting library: a report costs no import beyond the standard library, and the page
loads nothing. Every coordinate is a whole pixel, so a chart never shows an expected value
more precisely than one pixel of its axis, and the only numbers printed are axis ticks of
two significant digits (``tick``): a student reads the shape of a curve, not a value to copy.
Every string drawn is escaped here; the figure records (``graders._figures``) are already
bounded in length.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

from graders._figures import Gradients, LossCurves

WIDTH, HEIGHT = 480, 220
LEFT, RIGHT, TOP, BOTTOM = 52, 16, 24, 40  # room for the y ticks, the legend, the x label
LOG_SPAN = 100  # a loss spanning more than this factor is drawn log: its last epochs stay apart
NOT_A_NUMBER = "not a number"


def tick(value: float) -> str:
    """An axis tick: two significant digits, never more."""
    return f"{value:.2g}"


@dataclass(frozen=True)
class Scale:
    """Values to whole-pixel heights: ``low`` at pixel ``bottom``, ``high`` at ``top``."""

    low: float
    high: float
    top: int
    bottom: int
    log: bool = False

    @classmethod
    def of(cls, values: Iterable[float | None], top: int, bottom: int, *,
           zero: bool = False) -> Scale:
        finite = [v for v in values if v is not None] + ([0.0] if zero else [])
        low, high = (min(finite), max(finite)) if finite else (0.0, 1.0)
        log = not zero and low > 0 and high / low > LOG_SPAN
        if log:
            low, high = math.log10(low), math.log10(high)
        if high - low <= 1e-12 * max(abs(low), abs(high), 1e-300):
            low, high = low - 1, high + 1  # a flat line sits mid-chart
        return cls(low, high, top, bottom, log)

    def __call__(self, value: float) -> int:
        at = math.log10(value) if self.log else value
        return self.bottom - round((at - self.low) / (self.high - self.low)
                                   * (self.bottom - self.top))

    def ticks(self) -> list[tuple[int, str]]:
        """Three ticks (bottom, middle, top) as (pixel, label)."""
        spots = (self.low, self.low / 2 + self.high / 2, self.high)
        return [(self.bottom - round((s - self.low) / (self.high - self.low)
                                     * (self.bottom - self.top)),
                 tick(10 ** s if self.log else s)) for s in spots]


def _text(x: int, y: int, words: str, css: str = "", anchor: str = "start") -> str:
    kind = f' class="{css}"' if css else ""
    return (f'<text x="{x}" y="{y}" text-anchor="{anchor}"{kind}>{escape(words)}</text>')


def _svg(body: list[str], label: str, width: int = WIDTH, height: int = HEIGHT) -> str:
    return (f'<svg class="chart" width="{width}" height="{height}" viewBox="0 0 {width} '
            f'{height}" role="img" aria-label="{escape(label)}"><title>{escape(label)}</title>'
            + "".join(body) + "</svg>")


def score_bar(points: float, max_points: float, width: int = 160) -> str:
    """The exercise's points as a filled bar (whole pixels)."""
    share = min(max(points / max_points, 0.0), 1.0) if max_points > 0 else 0.0
    filled = round(share * width)
    label = f"{points:g} of {max_points:g} points"
    return (f'<svg class="score" width="{width}" height="12" viewBox="0 0 {width} 12" '
            f'role="img" aria-label="{label}"><rect class="bar-bg" width="{width}" '
            f'height="12"/><rect class="bar-fill" width="{filled}" height="12"/></svg>')


def share_bar(value: float | None, css: str, width: int = 100) -> str:
    """A probability (0 to 1) as a bar of class ``css``; ``None`` (nan or inf) as "nan"."""
    if value is None:
        return '<span class="badge nan">nan</span>'
    filled = round(min(max(value, 0.0), 1.0) * width)
    return (f'<svg class="share" width="{width}" height="10" viewBox="0 0 {width} 10" '
            f'aria-hidden="true"><rect class="bar-bg" width="{width}" height="10"/>'
            f'<rect class="{css}" width="{filled}" height="10"/></svg>')


def _axes(scale: Scale, x_label: str) -> list[str]:
    body = [f'<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{HEIGHT - BOTTOM}"/>',
            f'<line class="axis" x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" '
            f'y2="{HEIGHT - BOTTOM}"/>']
    for y, words in scale.ticks():
        body.append(_text(LEFT - 4, y + 4, words, anchor="end"))
    body.append(_text((LEFT + WIDTH - RIGHT) // 2, HEIGHT - 6,
                      x_label + (" (loss on a log scale)" if scale.log else ""), anchor="middle"))
    return body


def _legend() -> list[str]:
    right = WIDTH - RIGHT
    return [f'<line class="student" x1="{right - 170}" y1="10" x2="{right - 150}" y2="10"/>',
            _text(right - 146, 14, "your code"),
            f'<line class="reference" x1="{right - 80}" y1="10" x2="{right - 60}" y2="10"/>',
            _text(right - 56, 14, "reference")]


def _runs(points: Sequence[tuple[int, int] | None]) -> list[list[tuple[int, int]]]:
    """The unbroken stretches of a series: a ``None`` breaks the line."""
    runs: list[list[tuple[int, int]]] = [[]]
    for point in points:
        if point is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(point)
    return [run for run in runs if run]


def _series(values: Sequence[float | None], x_of, scale: Scale, css: str) -> list[str]:
    points = [None if v is None else (x_of(i), scale(v)) for i, v in enumerate(values)]
    body = []
    for run in _runs(points):
        if len(run) == 1:  # a lone value between breaks: a dot, not an invisible line
            body.append(f'<circle class="{css}" cx="{run[0][0]}" cy="{run[0][1]}" r="2"/>')
        else:
            steps = " L".join(f"{x} {y}" for x, y in run)
            body.append(f'<path class="{css}" d="M{steps}"/>')
    return body


def _nan_marks(values: Sequence[float | None], x_of) -> list[str]:
    """A cross over each stretch of values that were not numbers, and the words once."""
    starts = [i for i, v in enumerate(values)
              if v is None and (i == 0 or values[i - 1] is not None)]
    body = [_text(x_of(i), TOP + 10, "×", "nan", "middle") for i in starts]
    if starts:
        x = x_of(starts[0])
        body.append(_text(x + 8 if x < WIDTH // 2 else x - 8, TOP + 24, NOT_A_NUMBER, "nan",
                          "start" if x < WIDTH // 2 else "end"))
    return body


def loss_chart(figure: LossCurves) -> str:
    """The student's loss against the reference's, with the departure marked."""
    count = max(len(figure.student), len(figure.reference))
    if count == 0:
        return '<p class="empty">No loss values came back.</p>'
    scale = Scale.of((*figure.student, *figure.reference), TOP, HEIGHT - BOTTOM)
    span = WIDTH - RIGHT - LEFT

    def x_of(index: int) -> int:
        return LEFT + round(index * span / max(count - 1, 1))

    body = _axes(scale, figure.x_label)
    body += [_text(LEFT, HEIGHT - BOTTOM + 14, "0", anchor="middle"),
             _text(x_of(count - 1), HEIGHT - BOTTOM + 14, str(count - 1), anchor="middle")]
    body += _series(figure.reference, x_of, scale, "reference")
    body += _series(figure.student, x_of, scale, "student")
    body += _nan_marks(figure.student, x_of) + _nan_marks(figure.reference, x_of)
    if figure.departure is not None and 0 <= figure.departure < count:
        x = x_of(figure.departure)
        body.append(f'<line class="departure" x1="{x}" y1="{TOP}" x2="{x}" '
                    f'y2="{HEIGHT - BOTTOM}"/>')
        words = f"{figure.why or 'departs'} at {figure.x_label} {figure.departure}"
        body.append(_text(x + 4 if x < WIDTH // 2 else x - 4, HEIGHT - BOTTOM - 6, words,
                          "departure", "start" if x < WIDTH // 2 else "end"))
    return _svg(body + _legend(), figure.title)


def gradient_bars(figure: Gradients) -> str:
    """Per parameter, the student's gradient beside autograd's, from a zero line."""
    count = len(figure.parameters)
    if count == 0:
        return '<p class="empty">No gradients came back.</p>'
    scale = Scale.of((*figure.student, *figure.reference), TOP, HEIGHT - BOTTOM, zero=True)
    slot = (WIDTH - RIGHT - LEFT) // count
    bar = max(slot * 2 // 5, 1)
    zero = scale(0.0)
    body = _axes(scale, "parameter")
    body.append(f'<line class="axis" x1="{LEFT}" y1="{zero}" x2="{WIDTH - RIGHT}" y2="{zero}"/>')
    every = math.ceil(count / 12)  # at most a dozen names under the bars
    for index, name in enumerate(figure.parameters):
        left = LEFT + index * slot + (slot - 2 * bar) // 2
        for offset, values, css in ((0, figure.student, "student"),
                                    (bar, figure.reference, "reference")):
            body.append(_bar(left + offset, bar, values[index] if index < len(values) else None,
                             scale, zero, css, name))
        if index % every == 0:
            # Its first word ("grad_a"): the rest ("(case 1, a=0.5, ...)") is the bar's tooltip.
            short = name.split(" ", 1)[0][:8]
            body.append(_text(left + bar, HEIGHT - BOTTOM + 14, short, anchor="middle"))
    return _svg(body + _legend(), figure.title)


def _bar(x: int, width: int, value: float | None, scale: Scale, zero: int, css: str,
         name: str) -> str:
    whose = "your gradient" if css == "student" else "reference"
    if value is None:
        return (f'<text x="{x + width // 2}" y="{zero - 4}" text-anchor="middle" class="nan">'
                f'×<title>{escape(name)}: {whose}, {NOT_A_NUMBER}</title></text>')
    y = scale(value)
    return (f'<rect class="{css}" x="{x}" y="{min(y, zero)}" width="{width}" '
            f'height="{abs(y - zero)}"><title>{escape(name)}: {whose}</title></rect>')
