"""Typed errors of the domain. The CLI turns them into one stderr message and an exit code."""

from __future__ import annotations

import errno


class AicompareError(Exception):
    """A failure a user can cause or fix: printed as `error: ...` with an optional hint."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class CatalogError(AicompareError):
    """A catalog file that cannot be read or does not validate; carries every problem found."""

    def __init__(
        self, problems: list[str], hint: str | None = None, what: str = "the catalog"
    ) -> None:
        first = problems[0] if problems else "invalid catalog"
        super().__init__(first, hint)
        self.problems = problems
        self.what = what  # what has the problems, as the report's first line names it


class UnknownModelError(AicompareError):
    """A model name that matches nothing in the catalog."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        hint = (
            f"did you mean: {', '.join(suggestions)}?"
            if suggestions
            else ("run 'aicompare list' to see the models in the catalog")
        )
        super().__init__(f"unknown model {name!r}", hint)
        self.name = name
        self.suggestions = suggestions


class AmbiguousModelError(AicompareError):
    """A model name that matches several models."""

    def __init__(self, name: str, candidates: list[str]) -> None:
        super().__init__(
            f"ambiguous model {name!r}: it matches {', '.join(candidates)}",
            "use the full id, or provider:model",
        )
        self.name = name
        self.candidates = candidates


class UnknownOfferError(AicompareError):
    """`MODEL@SELLER` where the catalog has no such offer of the model (or several)."""

    def __init__(self, name: str, message: str, sellers: list[str]) -> None:
        hint = f"its sellers: {', '.join(sellers)}" if sellers else "see `aicompare show MODEL`"
        super().__init__(f"{name!r}: {message}", hint)
        self.name = name
        self.sellers = sellers


class UsageError(AicompareError):
    """A bad value on the command line that only the parser-level checks can catch."""

    exit_code = 2


class WorkloadError(UsageError):
    """A workload quantity or option that cannot be understood."""


class WriteError(AicompareError):
    """A catalog write that failed; the previous file is intact."""


def output_error(error: OSError) -> AicompareError:
    """Stdout could not be written: a full disk, a device gone, stdout closed (`>&-`)."""
    if error.errno == errno.EBADF:  # closed, or open for reading only
        return AicompareError(
            f"cannot write the output: {error.strerror or error}",
            "run it with stdout open for writing: a terminal, a file or a pipe",
        )
    return AicompareError(
        f"cannot write the output: {error.strerror or error}",
        "check that the file or device stdout goes to has room and can be written",
    )
