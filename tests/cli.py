"""`deputy` run inside the test process: the `main()` the installed command runs, with the call's own argv,
environment, stdin and output, and nothing of the call left behind.

A process costs a Python start and the import of the whole backend; tests that check what the command says
and does, not the process itself, call `deputy_cli` instead. What a process gives for free is done here:

- sys.argv, os.environ, sys.stdin/stdout/stderr and signal handlers are the call's and are put back
  afterwards, also when the call fails; so are the handlers of a logger the call left writing into its output;
- only what the call's own threads write is its output: the servers a test runs share this process;
- an exception that escapes `main()`, in its thread or one it started, is printed as a traceback into
  stderr with exit code 1, as the interpreter would; SystemExit becomes the return code;
- the threads the call started must have ended when it returns (a server it started must have stopped).

Not for commands that serve until they are killed (`serve` and `up` that get as far as serving, `demo`).
Usage lines name the program as click finds it in this process (e.g. "python -m pytest.deputy").
"""

import io
import logging
import os
import signal
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from rich.console import Console

THREADS_END_WITHIN = 10.0  # seconds, after the call returns


@dataclass(frozen=True)
class Result:
    returncode: int
    stdout: str
    stderr: str


class _Call:
    """The thread running a call and every thread started from it, however deep, until the call ends."""

    def __init__(self) -> None:
        self.caller = threading.current_thread()
        self.started: set[threading.Thread] = set()
        self.over = False

    def owns(self, thread: threading.Thread | None) -> bool:
        return not self.over and (thread is self.caller or thread in self.started)


class _Output(io.TextIOBase):
    """sys.stdout or sys.stderr during a call: the call's threads write into it, any other thread writes
    where it wrote before. Not a terminal, as the pipe of a process run by a test is not."""

    def __init__(self, before: Any, call: _Call) -> None:
        self._kept = io.StringIO()
        self._before = before
        self._call = call

    def write(self, text: str) -> int:
        if self._call.owns(threading.current_thread()):
            return self._kept.write(text)
        return self._before.write(text)

    def flush(self) -> None:
        if not self._call.owns(threading.current_thread()):
            self._before.flush()

    def isatty(self) -> bool:
        return False

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:
        return "utf-8"

    @property
    def errors(self) -> str:
        return "strict"

    def text(self) -> str:
        return self._kept.getvalue()


def _import_cli() -> None:
    """Import the CLI as a piped process would: rich decides when a Console is made (at import) whether it
    writes colour and whether it moves the cursor (is stdout a terminal?), and a fixed width (is COLUMNS set?).
    Made here, the consoles read COLUMNS at each print, so each call's COLUMNS holds."""
    if "backend.cli.app" in sys.modules:
        return  # imported elsewhere first: `_check_consoles` says if it decided otherwise
    streams = sys.stdout, sys.stderr
    sizes = {name: os.environ.pop(name) for name in ("COLUMNS", "LINES") if name in os.environ}
    sys.stdout, sys.stderr = io.StringIO(), io.StringIO()
    try:
        import backend.cli  # noqa: F401  (every command module adds its commands)
    finally:
        sys.stdout, sys.stderr = streams
        os.environ.update(sizes)


_import_cli()


def _check_consoles() -> None:
    from backend.cli.app import console, err

    piped = Console(file=io.StringIO())  # what a process whose output is a pipe decides, in this environment
    for made in (console, err):
        if (made.color_system, made.is_interactive, made.width) != (
            piped.color_system,
            piped.is_interactive,
            piped.width,
        ):
            raise RuntimeError(
                "backend.cli's consoles were made while stdout was a terminal or COLUMNS was set, so they write "
                "unlike a piped `deputy` (colour, cursor moves or a fixed width). Import tests.cli before "
                "backend.cli, or run pytest with its output captured."
            )


@contextmanager
def _environment(env: dict[str, str]) -> Iterator[None]:
    before = dict(os.environ)
    os.environ.update(env)
    try:
        yield
    finally:
        for name in set(os.environ) - set(before):
            del os.environ[name]
        for name, value in before.items():
            if os.environ.get(name) != value:
                os.environ[name] = value


@contextmanager
def _signal_handlers() -> Iterator[None]:
    """A command may set handlers (`up` sets SIGTERM's); a process drops them when it ends, this one must not
    keep them."""
    before = {number: signal.getsignal(number) for number in signal.valid_signals()}
    try:
        yield
    finally:
        for number, handler in before.items():
            if handler is not None and signal.getsignal(number) != handler:
                signal.signal(number, handler)


def _loggers() -> list[logging.Logger]:
    known = logging.Logger.manager.loggerDict.values()
    return [logging.getLogger(), *(logger for logger in known if isinstance(logger, logging.Logger))]


@contextmanager
def _logging(outputs: tuple[_Output, ...]) -> Iterator[None]:
    """Starting a server in this process runs uvicorn's dictConfig, which gives its loggers handlers that write
    to the call's stderr: a logger left writing to the call's output gets back the handlers it had."""
    before = {logger: list(logger.handlers) for logger in _loggers()}
    try:
        yield
    finally:
        for logger in _loggers():
            if any(getattr(handler, "stream", None) in outputs for handler in logger.handlers):
                logger.handlers[:] = before.get(logger, [])


@contextmanager
def _threads(call: _Call) -> Iterator[None]:
    """Record every thread the call starts, print an exception that ends one of them into the call's stderr,
    and on the way out wait for them all to end."""
    start, excepthook = threading.Thread.start, threading.excepthook

    def recorded_start(thread: threading.Thread) -> None:
        if call.owns(threading.current_thread()):
            call.started.add(thread)
        start(thread)

    def printed(args: threading.ExceptHookArgs) -> None:
        (threading.__excepthook__ if call.owns(args.thread) else excepthook)(args)

    threading.Thread.start = recorded_start  # type: ignore[method-assign]
    threading.excepthook = printed
    try:
        yield
        deadline = time.monotonic() + THREADS_END_WITHIN
        while (running := [t for t in call.started if t.is_alive()]) and time.monotonic() < deadline:
            running[0].join(deadline - time.monotonic())
    finally:
        threading.Thread.start = start  # type: ignore[method-assign]
        threading.excepthook = excepthook


def _exit_code(ended: SystemExit) -> int:
    if ended.code is None:
        return 0
    if isinstance(ended.code, int):
        return ended.code
    print(ended.code, file=sys.stderr)  # sys.exit("message"), as the interpreter prints it
    return 1


def deputy_cli(*args: str, env: dict[str, str] | None = None, input: str = "") -> Result:
    """Run `deputy ARGS` in this process with `env` added to the environment and `input` on stdin."""
    from backend.cli import main

    call = _Call()
    argv, streams = sys.argv, (sys.stdin, sys.stdout, sys.stderr)
    out, err = _Output(sys.stdout, call), _Output(sys.stderr, call)
    with tempfile.TemporaryFile("w+", encoding="utf-8") as stdin:
        stdin.write(input)
        stdin.seek(0)  # a real file: `deputy run` waits on stdin with select()
        with _environment(env or {}), _signal_handlers(), _logging((out, err)):
            try:
                sys.argv = ["deputy", *args]
                sys.stdin, sys.stdout, sys.stderr = stdin, out, err
                _check_consoles()
                with _threads(call):
                    try:
                        main()
                        code = 0
                    except SystemExit as ended:
                        code = _exit_code(ended)
                    except Exception:
                        traceback.print_exc()
                        code = 1
            finally:
                call.over = True
                sys.argv = argv
                sys.stdin, sys.stdout, sys.stderr = streams
    running = sorted(t.name for t in call.started if t.is_alive())
    if running:
        raise AssertionError(f"`deputy {' '.join(args)}` left threads running: {', '.join(running)}")
    return Result(code, out.text(), err.text())
