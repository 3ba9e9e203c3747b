"""The supervisor of `statex up`: a program that dies takes what it started with it."""

from __future__ import annotations

import os
import sys
import time

from cli.supervisor import Supervisor

# A parent that forks a child which outlives it (as RQ's scheduler process outlives a killed worker).
PARENT_WITH_CHILD = """
import os, sys, time
child = os.fork()
if child == 0:
    time.sleep(600)
    os._exit(0)
print("child", child, flush=True)
time.sleep(float(sys.argv[1]))
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def _wait_until(condition, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_a_program_that_dies_takes_its_children_and_is_started_again(capsys):
    supervisor = Supervisor(dict(os.environ))
    program = supervisor.start("parent", [sys.executable, "-c", PARENT_WITH_CHILD, "0.5"])
    first = program.popen

    def restarted():  # what Supervisor.run does every half second

        supervisor._watch(program)
        return program.popen is not first and program.popen.poll() is None

    assert _wait_until(restarted)
    children = [int(line.split()[-1]) for line in capsys.readouterr().out.splitlines() if " child " in line]
    assert children, "the parent said which child it started"
    assert _wait_until(lambda: not _alive(children[0])), "the dead parent's child outlived it"
    supervisor.stop_all(grace=2)
    assert not any(_alive(pid) for pid in children[1:])
