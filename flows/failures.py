"""How a failed run speaks: one line on the console and in audit.runs (its reason); the
traceback in Prefect's logs, and on the console only with --debug (issue 35, item 3: a
read-only folder used to end in about 150 lines of traceback)."""

from __future__ import annotations

import logging

REASON_LENGTH = 200


def failure_reason(err: BaseException) -> str:
    """The exception's kind and the first line of its message: no traceback, no value of a
    row (an error names files, folders and stages, never a person)."""
    lines = str(err).splitlines()
    first = lines[0][:REASON_LENGTH] if lines else ""
    return f"{type(err).__name__}: {first}" if first else type(err).__name__


class WithoutTraceback(logging.Formatter):
    """A console formatter that leaves out a record's traceback (the record itself keeps
    it for the other handlers: Prefect's API handler ships it to the run's logs)."""

    def __init__(self, inner: logging.Formatter | None) -> None:
        super().__init__()
        self.inner = inner or logging.Formatter()

    def format(self, record: logging.LogRecord) -> str:
        if record.exc_info or record.exc_text or record.stack_info:
            record = logging.makeLogRecord({**record.__dict__, "exc_info": None,
                                            "exc_text": None, "stack_info": None})
        return self.inner.format(record)


def console_without_tracebacks() -> None:
    """The console handlers Prefect configured (on the root logger) stop printing
    tracebacks; the logs Prefect keeps are unchanged."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler) and not isinstance(
                handler.formatter, WithoutTraceback):
            handler.setFormatter(WithoutTraceback(handler.formatter))
