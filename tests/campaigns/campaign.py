"""The randomized campaign: a seeded sequence of ADD/CHECK/DEL/GC with random HCN faults.

A :class:`Campaign` plays a runtime that manages ``containers`` containers on two networks (a
NAT network driven by ``nat``, an L2Bridge network driven by ``sdnbridge``), each container
with its own HNS namespace and host-local IPAM. Each step picks an attachment (container x
network) and a verb a runtime may send in its state, maybe with faults in
``HCNPY_SIM_FAULTS``, runs the plugin process, updates the model by the CNI rules
(:mod:`tests.campaigns.invariants`) and checks every invariant. Everything random comes from
one ``random.Random(seed)``: a seed and a step count replay a campaign exactly.

Faults are failures that do not lie about the state: a generic or transient HRESULT
(``E_FAIL``, ``ERROR_TIMEOUT``, ``HCN_E_MANAGER_STOPPED``, ...) on a call the verb makes, which
the simulator answers without acting; stalls; and now and then a SIGKILL (``kill`` /
``kill-after``). "Not found" and "already exists" codes are left out: a plugin must believe
them (DEL is idempotent), so injecting them where the object exists would make the simulator,
not the plugin, wrong.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from ..plugins.wp_harness import Outcome, Sim, with_prev_result
from .invariants import (
    ABSENT,
    ADDED,
    DELETING,
    TRACEBACK,
    Attachment,
    World,
    check_world,
    integrity_problems,
    output_problems,
    stray_processes,
)
from .scenarios import add_conf, gc_conf, gc_ipam_unsupported

#: (network name, HNS type, plugin, subnet, gateway)
NETWORKS = (
    ("natNet", "NAT", "nat", "10.0.0.0/16", "10.0.0.1"),
    ("bridgeNet", "L2Bridge", "sdnbridge", "10.1.0.0/16", "10.1.0.1"),
)

#: HRESULTs that say "this call failed" and nothing about the state of HNS.
HONEST_FAILURES = (
    "E_FAIL", "E_UNEXPECTED", "E_ACCESSDENIED", "E_OUTOFMEMORY", "ERROR_GEN_FAILURE",
    "ERROR_TIMEOUT", "HCN_E_MANAGER_STOPPED", "HCN_E_DEGRADED_OPERATION",
    "HCN_E_NAMESPACE_ATTACH_FAILED", "HCN_E_PORT_ALREADY_EXISTS", "HCN_E_INVALID_JSON",
)  # fmt: skip

#: Faults the campaign does not inject yet: each is a plugin defect pinned by an
#: ``xfail(strict=True)`` test (``test_known_defects.py``); the entry goes when the fix lands.
KNOWN_DEFECTS: dict[str, frozenset[str]] = {}

#: How many violations a report keeps in full (the count is always exact).
KEEP = 50


@dataclass
class Settings:
    """The size and mix of one campaign."""

    seed: int
    steps: int
    containers: int = 20
    fault_rate: float = 0.35  # share of steps with at least one fault entry
    kill_rate: float = 0.03  # share of steps whose plugin is SIGKILLed at some call
    gc_rate: float = 0.03
    max_stall_ms: int = 25


@dataclass
class Report:
    """What a campaign did and found (JSON-friendly: :func:`dataclasses.asdict`)."""

    seed: int
    steps: int
    outcomes: dict[str, int] = field(default_factory=dict)  # "ADD ok", "DEL failed", ...
    faults: dict[str, int] = field(default_factory=dict)  # "hresult", "stall", "kill", ...
    fault_functions: dict[str, int] = field(default_factory=dict)
    violations: int = 0
    violation_samples: list[str] = field(default_factory=list)
    tracebacks: int = 0
    leftovers: list[str] = field(default_factory=list)
    final_deletes: int = 0
    seconds: float = 0.0

    def violation(self, step: int, text: str) -> None:
        self.violations += 1
        if len(self.violation_samples) < KEEP:
            self.violation_samples.append(f"step {step}: {text}")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Step:
    """One verb the runtime sends, with the faults chosen for it."""

    number: int
    verb: str
    attachment: Attachment | None  # None for GC
    network: str
    faults: str = ""
    injects_failure: bool = False
    kills: bool = False

    def describe(self) -> str:
        who = self.attachment.endpoint_name if self.attachment else f"network {self.network}"
        faults = f" with HCNPY_SIM_FAULTS={self.faults!r}" if self.faults else ""
        return f"{self.verb} {who}{faults}"


class Campaign:
    """One seeded campaign against ``sim`` (networks and namespaces are created here)."""

    def __init__(self, sim: Sim, settings: Settings, sequences: dict[str, list[tuple[str, int]]]):
        self.sim = sim
        self.settings = settings
        self.random = random.Random(settings.seed)
        self.sequences = sequences
        self.report = Report(settings.seed, settings.steps)
        self.plugins = {name: plugin for name, _, plugin, _, _ in NETWORKS}
        self.confs: dict[str, dict[str, Any]] = {}
        self.attachments: list[Attachment] = []
        for name, kind, _, subnet, gateway in NETWORKS:
            sim.network(name, kind, [(subnet, gateway)])
        for index in range(settings.containers):
            container = f"ctr{index:02d}"
            namespace = sim.namespace()
            for name, _, plugin, subnet, _ in NETWORKS:
                port = 8000 + index if plugin == "nat" else None
                self.confs[f"{container}_{name}"] = add_conf(
                    sim, network=name, plugin=plugin, subnet=subnet, host_port=port
                )
                self.attachments.append(Attachment(container, name, namespace))

    # -- choosing ---------------------------------------------------------------------------

    def choose(self, number: int) -> Step:
        rnd = self.random
        if rnd.random() < self.settings.gc_rate:
            return self._with_faults(Step(number, "GC", None, rnd.choice(NETWORKS)[0]))
        dying = [a for a in self.attachments if a.state == DELETING]
        if dying and rnd.random() < 0.5:
            attachment = rnd.choice(dying)  # the runtime retries its DELs
        else:
            attachment = rnd.choice(self.attachments)
        roll = rnd.random()
        if attachment.state == ABSENT:
            verb = "ADD" if roll < 0.9 else "DEL"
        elif attachment.state == ADDED:
            verb = "CHECK" if roll < 0.35 else "DEL" if roll < 0.85 else "ADD"
        else:
            verb = "DEL"
        return self._with_faults(Step(number, verb, attachment, attachment.network))

    def _with_faults(self, step: Step) -> Step:
        rnd = self.random
        calls = self.sequences[step.verb]
        entries: list[str] = []
        if rnd.random() < self.settings.kill_rate:
            function, occurrence = rnd.choice(calls)
            moment = rnd.choice(("kill", "kill-after"))
            entries.append(f"{function}={moment}@{occurrence}")
            step.kills = True
            self._count("kill", function)
        if rnd.random() < self.settings.fault_rate:
            avoided = KNOWN_DEFECTS.get(step.verb, frozenset())
            candidates = [f for f, _ in calls if f not in avoided]
            for _ in range(rnd.choice((1, 1, 1, 2))):
                function = "*" if rnd.random() < 0.05 else rnd.choice(candidates)
                actions = []
                if rnd.random() < 0.3:
                    actions.append(f"stall:{rnd.randint(1, self.settings.max_stall_ms)}")
                    self._count("stall", function)
                if not actions or rnd.random() < 0.85:
                    actions.append(rnd.choice(HONEST_FAILURES))
                    step.injects_failure = True
                    self._count("hresult", function)
                when = rnd.choice(("@1", "@1", "@1", "@2", "@1+", "@2+", "@1-2", ""))
                entries.append(f"{function}={','.join(actions)}{when}")
        step.faults = ";".join(entries)
        return step

    def _count(self, kind: str, function: str) -> None:
        self.report.faults[kind] = self.report.faults.get(kind, 0) + 1
        self.report.fault_functions[function] = self.report.fault_functions.get(function, 0) + 1

    # -- running ----------------------------------------------------------------------------

    def run(self) -> Report:
        started = time.monotonic()
        for number in range(1, self.settings.steps + 1):
            self.play(self.choose(number))
        self.finish()
        self.report.seconds = round(time.monotonic() - started, 1)
        return self.report

    def _invoke(self, step: Step) -> Outcome:
        env = {"HCNPY_SIM_FAULTS": step.faults} if step.faults else None
        if step.attachment is None:
            valid = [a.container for a in self.attachments
                     if a.network == step.network and a.state == ADDED]  # fmt: skip
            some = next(a for a in self.attachments if a.network == step.network)
            conf = gc_conf(self.confs[some.endpoint_name], valid)
            return self.sim.run(self.plugins[step.network], "GC", conf, container_id="", env=env)
        a = step.attachment
        conf = self.confs[a.endpoint_name]
        if step.verb != "ADD" and a.result is not None:
            conf = with_prev_result(conf, a.result)
        return self.sim.run(self.plugins[a.network], step.verb, conf, container_id=a.container,
                            netns=a.namespace, ifname=a.ifname, env=env)  # fmt: skip

    def play(self, step: Step) -> None:
        outcome = self._invoke(step)
        report = self.report
        label = self._classify(step, outcome)
        report.outcomes[f"{step.verb} {label}"] = report.outcomes.get(f"{step.verb} {label}", 0) + 1
        if TRACEBACK in outcome.stderr:
            report.tracebacks += 1
        for problem in output_problems(outcome, step.verb):
            report.violation(step.number, f"{step.describe()}: {problem}")
        if "internal error" in outcome.msg:
            report.violation(step.number, f"{step.describe()}: {outcome.msg} {outcome.json}")
        expected_to_work = not step.injects_failure and not step.kills
        if label == "failed" and expected_to_work:
            report.violation(step.number, f"{step.describe()} failed without a fault: {outcome!r}")
        self._update(step, outcome, label)
        for problem in check_world(World.observe(self.sim), self.attachments):
            report.violation(step.number, f"after {step.describe()} ({label}): {problem}")

    @staticmethod
    def _classify(step: Step, outcome: Outcome) -> str:
        if outcome.exit_code < 0:
            return "killed"
        if outcome.ok:
            return "ok"
        if step.verb == "GC" and gc_ipam_unsupported(outcome):
            return "ok, IPAM without GC"
        return "failed"

    def _update(self, step: Step, outcome: Outcome, label: str) -> None:
        a = step.attachment
        if a is None or step.verb == "CHECK":
            return  # GC and CHECK change nothing the runtime knows of
        if step.verb == "DEL":
            if label == "ok":
                a.state, a.address, a.result = ABSENT, "", None
            else:
                a.state = DELETING  # the runtime retries DEL until it succeeds
            return
        if label != "ok":
            # A failed first ADD must leave nothing; a failed re-ADD (or any killed ADD) is
            # followed by the runtime's DEL, so until then the container is on its way out.
            a.state = ABSENT if a.state == ABSENT and label == "failed" else DELETING
            return
        addresses = outcome.ips()
        if a.state == ADDED and addresses != [a.address]:
            text = f"{step.describe()}: re-ADD answered {addresses}, first ADD {a.address}"
            self.report.violation(step.number, text)
        a.state, a.result = ADDED, outcome.json
        a.address = addresses[0] if len(addresses) == 1 else repr(addresses)

    def finish(self) -> None:
        """The runtime deletes every container (no faults): then nothing may be left."""
        for a in self.attachments:
            step = Step(self.settings.steps + 1, "DEL", a, a.network)
            outcome = self._invoke(step)
            self.report.final_deletes += 1
            if not outcome.ok:
                self.report.violation(step.number, f"final {step.describe()} failed: {outcome!r}")
            if TRACEBACK in outcome.stderr:
                self.report.tracebacks += 1
            a.state, a.address, a.result = ABSENT, "", None
        world = World.observe(self.sim)
        leftovers = world.leftovers() + self.cli_leftovers()
        leftovers += integrity_problems(self.sim.state) + stray_processes(self.sim.state)
        self.report.leftovers = leftovers
        for problem in leftovers:
            self.report.violation(self.settings.steps + 1, f"left after the final DELs: {problem}")

    def cli_leftovers(self) -> list[str]:
        """The same question asked of the ``hcnpy`` CLI on the same state file."""
        import json
        import subprocess

        from ..plugins.wp_harness import BIN

        found: list[str] = []
        for kind in ("endpoint", "namespace"):
            command = [str(BIN / "hcnpy"), kind, "list", "--json"]
            proc = subprocess.run(
                command, env=self.sim.env(), capture_output=True, timeout=60, check=False
            )
            if proc.returncode != 0:
                found.append(f"hcnpy {kind} list failed: {proc.stderr[-300:]!r}")
                continue
            for item in json.loads(proc.stdout):
                if kind == "endpoint":
                    found.append(f"hcnpy endpoint list: {item.get('Name')}")
                elif item.get("Resources"):
                    found.append(f"hcnpy namespace list: {item['ID']} holds {item['Resources']}")
        return found


def summary(reports: list[Report]) -> str:
    """The invariant report of one or more campaigns, as text."""
    outcomes: Counter[str] = Counter()
    faults: Counter[str] = Counter()
    functions: Counter[str] = Counter()
    for r in reports:
        outcomes.update(r.outcomes)
        faults.update(r.faults)
        functions.update(r.fault_functions)
    steps = sum(r.steps for r in reports)
    lines = [
        f"campaigns: {len(reports)} (seeds {', '.join(str(r.seed) for r in reports)})",
        f"steps: {steps} (+ {sum(r.final_deletes for r in reports)} final DELs)",
        "steps by verb and outcome:",
        *[f"  {k:<28} {v:>6}" for k, v in sorted(outcomes.items())],
        f"fault entries injected: {sum(faults.values())} "
        + "(" + ", ".join(f"{k} {v}" for k, v in sorted(faults.items())) + "; an entry may "
        "name a call number the verb never reaches)",
        "faults by function: " + ", ".join(f"{k} {v}" for k, v in functions.most_common()),
        f"invariant violations: {sum(r.violations for r in reports)}",
        f"tracebacks: {sum(r.tracebacks for r in reports)}",
        f"left after the final DEL of everything: {sum(len(r.leftovers) for r in reports)}",
        f"time: {sum(r.seconds for r in reports):.0f} s of campaign "
        f"({max((r.seconds for r in reports), default=0):.0f} s the longest)",
    ]
    for r in reports:
        lines += [f"  seed {r.seed}: {v}" for v in r.violation_samples[:10]]
    return "\n".join(lines)
