"""Starting ip/nft without subprocess: streams, exit status, large input."""

from __future__ import annotations

import shutil

import pytest

from hcnpy.sim.datapath.runner import run


def _which(program: str) -> str:
    path = shutil.which(program)
    assert path, program
    return path


def test_stdin_stdout_stderr_and_status() -> None:
    done = run([_which("sh"), "-c", "cat; echo oops >&2; exit 3"], "hello\n")
    assert (done.returncode, done.stdout, done.stderr, done.ok) == (3, "hello\n", "oops\n", False)
    assert run([_which("true")]).ok


def test_large_input_and_output_do_not_deadlock() -> None:
    text = "x" * 4_000_000 + "\n"
    done = run([_which("sh"), "-c", "cat; cat /dev/null >&2"], text)
    assert done.ok and len(done.stdout) == len(text)


def test_children_speak_c() -> None:
    assert run([_which("sh"), "-c", "echo $LC_ALL"]).stdout == "C\n"


def test_a_missing_program_raises() -> None:
    with pytest.raises(FileNotFoundError):
        run(["/nonexistent/ip", "link"])
