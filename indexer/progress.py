"""How far a long job has come: units done of a total known before the first one, the rate
measured, and the time left estimated from that rate.

The first steps are not measured: they load the model or the segmenter's dictionary and warm
caches, and a rate that counted them would promise minutes for what takes seconds (or the
reverse, from a constant guessed for some other machine). Until a step past them is done, the
time left is unknown (None) and said so. Units can weigh unequally (a file's bytes, a text's
characters): the time left is the weight left over the weight done per second.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

WARMUP_STEPS = 1  # steps whose time the rate leaves out


@dataclass(frozen=True)
class Tally:
    """Where a job stands: ``done`` of ``total`` ``what`` (files, units), ``elapsed`` seconds,
    ``rate`` units a second and ``left`` seconds (None until measured)."""

    what: str
    done: int
    total: int
    elapsed: float
    rate: float | None = None
    left: float | None = None

    @property
    def share(self) -> float:
        return self.done / self.total if self.total else 1.0


Report = Callable[[Tally], None]


class Meter:
    """Counts a job's units done and tells ``report`` where it stands at each step."""

    def __init__(self, what: str, total: int, report: Report | None, weights: Sequence[float] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.what = what
        self.total = total
        self.report = report
        self.clock = clock
        self._weights = [float(w) for w in weights] if weights is not None else None
        self._weight_total = sum(self._weights) if self._weights is not None else float(total)
        self._started = clock()
        self._steps = 0
        self._mark: tuple[float, int, float] | None = None  # (time, units, weight) when measuring began
        self._done = 0
        self._weight_done = 0.0

    def start(self) -> Tally:
        """Tell the total before the first unit."""
        self._started = self.clock()
        return self._tell(Tally(self.what, 0, self.total, 0.0))

    def advance(self, done: int) -> Tally:
        """``done`` units are done in all (it only grows)."""
        now = self.clock()
        done = min(max(done, self._done), self.total)
        if self._weights is not None:
            self._weight_done += sum(self._weights[self._done:done])
        else:
            self._weight_done = float(done)
        self._done = done
        self._steps += 1
        if self._mark is None:
            if self._steps >= WARMUP_STEPS:
                self._mark = (now, done, self._weight_done)
            return self._tell(Tally(self.what, done, self.total, now - self._started))
        since, units_then, weight_then = self._mark
        seconds = now - since
        rate = left = None
        if seconds > 0 and done > units_then:
            rate = (done - units_then) / seconds
            weight_rate = (self._weight_done - weight_then) / seconds
            left = (self._weight_total - self._weight_done) / weight_rate if weight_rate > 0 else None
        return self._tell(Tally(self.what, done, self.total, now - self._started, rate, left))

    def _tell(self, tally: Tally) -> Tally:
        if self.report is not None:
            self.report(tally)
        return tally


__all__ = ["Meter", "Report", "Tally"]
