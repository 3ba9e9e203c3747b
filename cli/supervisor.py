"""A small process supervisor for `statex up`: prefixed logs, restarts, clean shutdown."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

COLOURS = ("36", "33", "35", "32", "34", "31")
MAX_BACKOFF = 30.0


@dataclass
class Program:
    name: str
    argv: list[str]
    popen: subprocess.Popen | None = None
    started_at: float = 0.0
    backoff: float = 1.0
    restart_at: float | None = None
    colour: str = field(default="0")
    # Infrastructure the others use (the embedded Redis): stopped only once they have exited.
    stop_last: bool = False
    pump: threading.Thread | None = None


class Supervisor:
    """Starts programs, prints their output line by line under their name, restarts the dead."""

    def __init__(self, env: dict[str, str]):
        self.env = env
        self.programs: list[Program] = []
        self.stopping = threading.Event()
        self._print_lock = threading.Lock()

    def say(self, name: str, line: str, colour: str = "1") -> None:
        prefix = f"\033[{colour}m{name:>20} |\033[0m " if sys.stdout.isatty() else f"{name:>20} | "
        with self._print_lock:
            sys.stdout.write(prefix + line.rstrip("\n") + "\n")
            sys.stdout.flush()

    def start(self, name: str, argv: list[str], stop_last: bool = False) -> Program:
        program = Program(name, argv, colour=COLOURS[len(self.programs) % len(COLOURS)], stop_last=stop_last)
        self.programs.append(program)
        self._spawn(program)
        return program

    def _spawn(self, program: Program) -> None:
        program.popen = subprocess.Popen(
            program.argv, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, text=True, bufsize=1, start_new_session=True,
        )
        program.started_at = time.monotonic()
        program.restart_at = None
        program.pump = threading.Thread(target=self._pump, args=(program, program.popen), daemon=True)
        program.pump.start()

    def _pump(self, program: Program, popen: subprocess.Popen) -> None:
        for line in popen.stdout:
            self.say(program.name, line, program.colour)

    def run(self) -> int:
        """Watch the programs until SIGINT or SIGTERM, then stop them all."""
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: self.stopping.set())
        while not self.stopping.wait(0.5):
            for program in self.programs:
                self._watch(program)
        self.stop_all()
        return 0

    def _watch(self, program: Program) -> None:
        now = time.monotonic()
        if program.restart_at is not None:
            if now >= program.restart_at:
                self.say("statex", f"restarting {program.name}")
                self._spawn(program)
            return
        code = program.popen.poll()
        if code is None:
            return
        # What the dead program left behind in its group (RQ's scheduler process, a work horse) goes
        # with it: the restarted program starts its own, and none may outlive `statex up`.
        _signal_group(program.popen, signal.SIGKILL)
        # A program that ran a while before dying starts again quickly; a crash loop backs off.
        program.backoff = 1.0 if now - program.started_at > 60 else min(program.backoff * 2, MAX_BACKOFF)
        program.restart_at = now + program.backoff
        self.say("statex", f"{program.name} exited with status {code}; restarting in {program.backoff:.0f}s")

    def stop_all(self, grace: float = 10.0) -> None:
        """Stop the programs, then the infrastructure they use (so none of them sees it vanish)."""
        users = [p for p in reversed(self.programs) if not p.stop_last]
        infrastructure = [p for p in reversed(self.programs) if p.stop_last]
        later = f", then {', '.join(p.name for p in infrastructure)}" if infrastructure else ""
        self.say("statex", f"stopping {', '.join(p.name for p in users)}{later}")
        for group in (users, infrastructure):
            _stop(group, grace)
        self.say("statex", "stopped")


def _stop(programs: list[Program], grace: float) -> None:
    """SIGTERM to each program's process group, SIGKILL to whatever outlives the grace period; wait for all."""
    alive = [p.popen for p in programs if p.popen and p.popen.poll() is None]
    for popen in alive:
        _signal_group(popen, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for popen in alive:
        try:
            popen.wait(max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            _signal_group(popen, signal.SIGKILL)
            popen.wait()
    for program in programs:
        if program.pump:
            program.pump.join(1.0)  # their last lines print before the next group stops


def _signal_group(popen: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(popen.pid, signum)
    except ProcessLookupError:
        pass
