"""What is wrong with an imported file, said precisely enough to fix it in one go."""

from __future__ import annotations

from dataclasses import dataclass

# Enough to fix a file in one pass without drowning the user.
MAX_PROBLEMS = 50


@dataclass(frozen=True)
class Problem:
    """One problem in an imported file; ``row`` counts the header as row 1."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        place = f"{', '.join(where)}: " if where else ""
        return f"{self.file}: {place}{self.message}"


class ImportProblems(Exception):
    """The file was refused; ``problems`` lists every reason found (at most MAX_PROBLEMS)."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ProblemList:
    """Collects problems and stops the import once there are too many to be useful."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def add(self, row: int | None, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.file, row, column, message))
        if len(self.problems) >= MAX_PROBLEMS:
            raise ImportProblems(self.problems)

    def refuse(self, row: int | None, column: str | None, message: str) -> None:
        """Record a problem that makes reading further pointless, and stop."""
        self.problems.append(Problem(self.file, row, column, message))
        raise ImportProblems(self.problems)

    def raise_if_any(self) -> None:
        if self.problems:
            raise ImportProblems(self.problems)
