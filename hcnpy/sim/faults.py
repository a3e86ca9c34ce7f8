"""Fault injection for the simulated HNS: parse ``HCNPY_SIM_FAULTS`` and decide per call.

Format (see ``docs/hcnpy/simulator.md``)::

    SPEC    := ENTRY (";" ENTRY)*             entries may also be separated by newlines
    ENTRY   := FUNCTION "=" ACTION ("," ACTION)* ["@" WHEN]
    ACTION  := HRESULT | "stall:" MILLISECONDS | "kill" | "kill-after"
    HRESULT := 0x803B0013 | 2151350291 | -2143616989 | HCN_E_PORT_ALREADY_EXISTS
    WHEN    := N | N "+" | N "-" M            1-based call numbers, per function, per process
    FUNCTION:= a C function name (HcnCreateEndpoint, HNSCall, ...) | "*" (every function)

``HcnOpenNetwork=stall:500`` stalls every call 500 ms; ``HcnCreateEndpoint=0x803B0013@2`` fails
only the second call; ``HcnModifyNamespace=stall:100,HCN_E_NAMESPACE_ATTACH_FAILED@3+`` stalls
and then fails the third and every later call. ``HcnCreateEndpoint=kill@1`` SIGKILLs the calling
process at its first create, before HNS acts; ``kill-after`` lets the call commit first, then
kills the process before it sees the answer (a plugin crashing either way on a real node).
"""

from __future__ import annotations

import _thread
import os

from .._cdef import COMPUTENETWORK, VMCOMPUTE, function_names
from ..hresult import HResult, is_failure, to_unsigned

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NoReturn

__all__ = [
    "FUNCTIONS",
    "KILL_ACTIONS",
    "KILL_AFTER",
    "KILL_BEFORE",
    "MAX_STALL_MS",
    "FaultInjector",
    "FaultRule",
    "Verdict",
    "kill_this_process",
    "parse_faults",
]

#: Every C function the simulated HNS answers (what a spec may name).
FUNCTIONS = frozenset(function_names(COMPUTENETWORK) + function_names(VMCOMPUTE))

#: The longest stall a spec may ask for (ten minutes).
MAX_STALL_MS = 600_000

#: Kill the calling process when the call starts (after any stall), before HNS acts.
KILL_BEFORE = "kill"
#: Kill the calling process once the call has finished (committed), before it sees the answer.
KILL_AFTER = "kill-after"
KILL_ACTIONS = (KILL_BEFORE, KILL_AFTER)


class FaultRule:
    """One entry: on calls ``first``..``last`` (``None`` = no end) of ``function``, stall, then
    fail or kill (``kill`` is ``None``, :data:`KILL_BEFORE` or :data:`KILL_AFTER`)."""

    __slots__ = ("first", "function", "hresult", "kill", "last", "stall_ms")

    def __init__(
        self,
        function: str,
        hresult: int | None = None,
        stall_ms: int = 0,
        first: int = 1,
        last: int | None = None,
        kill: str | None = None,
    ) -> None:
        self.function = function
        self.hresult = hresult
        self.stall_ms = stall_ms
        self.first = first
        self.last = last
        self.kill = kill

    def _key(self) -> tuple[str, int | None, int, int, int | None, str | None]:
        return (self.function, self.hresult, self.stall_ms, self.first, self.last, self.kill)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FaultRule) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"FaultRule(function={self.function!r}, hresult={self.hresult!r}, "
            f"stall_ms={self.stall_ms!r}, first={self.first!r}, last={self.last!r}, "
            f"kill={self.kill!r})"
        )

    def applies(self, function: str, call_number: int) -> bool:
        """True when this rule fires for the ``call_number``-th call of ``function``."""
        if self.function not in ("*", function):
            return False
        return call_number >= self.first and (self.last is None or call_number <= self.last)


class Verdict:
    """What the injector decided for one call."""

    __slots__ = ("call_number", "hresult", "kill", "stall_ms")

    def __init__(
        self,
        call_number: int,
        stall_ms: int = 0,
        hresult: int | None = None,
        kill: str | None = None,
    ) -> None:
        self.call_number = call_number
        self.stall_ms = stall_ms
        self.hresult = hresult
        self.kill = kill

    def __repr__(self) -> str:
        return (
            f"Verdict(call_number={self.call_number!r}, stall_ms={self.stall_ms!r}, "
            f"hresult={self.hresult!r}, kill={self.kill!r})"
        )


def parse_faults(text: str | None) -> tuple[FaultRule, ...]:
    """Parse a fault spec; ``None`` or blank means no faults. Raises ``ValueError`` on bad specs."""
    if not text:
        return ()
    rules = []
    for raw in text.replace("\n", ";").split(";"):
        entry = raw.strip()
        if entry:
            rules.append(_parse_entry(entry))
    return tuple(rules)


def _parse_entry(entry: str) -> FaultRule:
    function, sep, rest = entry.partition("=")
    function = function.strip()
    if not sep or not rest.strip():
        raise ValueError(f"fault entry {entry!r}: want FUNCTION=ACTION[,ACTION][@WHEN]")
    if function != "*" and function not in FUNCTIONS:
        known = ", ".join(sorted(FUNCTIONS))
        raise ValueError(f"fault entry {entry!r}: unknown function {function!r} (known: {known})")
    actions, _, when = rest.partition("@")
    hresult: int | None = None
    kill: str | None = None
    stall_ms = 0
    for raw_action in actions.split(","):
        action = raw_action.strip()
        if action.lower().startswith("stall:"):
            stall_ms += _parse_stall(entry, action[len("stall:") :])
        elif action.lower() in KILL_ACTIONS:
            if kill is not None:
                raise ValueError(f"fault entry {entry!r}: more than one kill action")
            kill = action.lower()
        elif action:
            if hresult is not None:
                raise ValueError(f"fault entry {entry!r}: more than one HRESULT")
            hresult = _parse_hresult(entry, action)
        else:
            raise ValueError(f"fault entry {entry!r}: empty action")
    if kill is not None and hresult is not None:
        raise ValueError(
            f"fault entry {entry!r}: {kill!r} and an HRESULT in one entry (a killed process "
            "sees no HRESULT; use two entries for an injected failure and then a kill)"
        )
    first, last = _parse_when(entry, when.strip()) if "@" in rest else (1, None)
    return FaultRule(function, hresult, stall_ms, first, last, kill)


def _parse_stall(entry: str, text: str) -> int:
    try:
        value = int(text.strip().removesuffix("ms"))
    except ValueError:
        raise ValueError(f"fault entry {entry!r}: stall wants milliseconds, got {text!r}") from None
    if not 0 <= value <= MAX_STALL_MS:
        raise ValueError(f"fault entry {entry!r}: stall must be 0..{MAX_STALL_MS} ms")
    return value


def _parse_hresult(entry: str, text: str) -> int:
    if text.upper() in HResult.__members__:
        value = int(HResult[text.upper()])
    else:
        try:
            value = int(text, 0)
        except ValueError:
            raise ValueError(
                f"fault entry {entry!r}: {text!r} is neither an HRESULT number (0x803B0013) "
                "nor a known name (HCN_E_PORT_ALREADY_EXISTS)"
            ) from None
        if not -(2**31) <= value <= 0xFFFFFFFF:
            raise ValueError(f"fault entry {entry!r}: {text!r} does not fit in 32 bits")
        value = to_unsigned(value)
    if not is_failure(value):
        raise ValueError(
            f"fault entry {entry!r}: 0x{value:08X} is not a failure HRESULT (want 0x8xxxxxxx)"
        )
    return value


def _parse_when(entry: str, text: str) -> tuple[int, int | None]:
    try:
        if text.endswith("+"):
            first, last = int(text[:-1]), None
        elif "-" in text:
            low, _, high = text.partition("-")
            first, last = int(low), int(high)
        else:
            first = int(text)
            last = first
    except ValueError:
        raise ValueError(f"fault entry {entry!r}: @WHEN wants N, N+ or N-M, got {text!r}") from None
    if first < 1 or (last is not None and last < first):
        raise ValueError(f"fault entry {entry!r}: call numbers start at 1 and must not go down")
    return first, last


class FaultInjector:
    """Counts calls per C function and applies the matching rules (thread-safe)."""

    def __init__(self, rules: tuple[FaultRule, ...] = ()) -> None:
        self.rules = rules
        self._counts: dict[str, int] = {}
        self._lock = _thread.allocate_lock()

    def __bool__(self) -> bool:
        return bool(self.rules)

    def on_call(self, function: str) -> Verdict:
        """Count one call of ``function``; stalls add up, the first matching HRESULT wins, and
        :data:`KILL_BEFORE` wins over :data:`KILL_AFTER` (it happens first)."""
        with self._lock:
            number = self._counts.get(function, 0) + 1
            self._counts[function] = number
        stall = 0
        hresult: int | None = None
        kill: str | None = None
        for rule in self.rules:
            if rule.applies(function, number):
                stall += rule.stall_ms
                if hresult is None:
                    hresult = rule.hresult
                if rule.kill is not None and kill != KILL_BEFORE:
                    kill = rule.kill
        return Verdict(number, stall, hresult, kill)

    def calls(self, function: str) -> int:
        """How many times ``function`` has been called so far."""
        with self._lock:
            return self._counts.get(function, 0)


def kill_this_process() -> NoReturn:
    """Die now, as a crash would: SIGKILL (no clean-up, no flush); never returns."""
    import signal  # only for the kill action: not on every plugin's start-up path

    os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
    os._exit(128 + 9)  # pragma: no cover - where the signal is not delivered synchronously
