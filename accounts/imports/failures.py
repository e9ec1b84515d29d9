"""What a database error that escaped validation means for a batch: can a restart succeed, and what
the uploader is told. Nothing of the batch landed in any case (the merge is one transaction)."""

from dataclasses import dataclass

from django.db import DatabaseError, DataError, IntegrityError, InterfaceError, OperationalError, ProgrammingError
from django.db.utils import NotSupportedError


@dataclass(frozen=True)
class Failure:
    transient: bool  # the database was unreachable or busy: the same file may well go through later
    message: str


def _detail(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{exc.__class__.__name__}: {text[:200]}" if text else exc.__class__.__name__


def describe(exc: DatabaseError, *, what: str = "import") -> Failure:
    if isinstance(exc, (OperationalError, InterfaceError)) or (
            isinstance(exc, IntegrityError) and not isinstance(exc, DataError)):
        # Lost connection, server restart, cancelled or deadlocked statement, a reference another
        # import wrote meanwhile: none is about the file.
        return Failure(True, f"The {what} was interrupted: the database was unavailable ({_detail(exc)}). "
                             "Nothing was written; start it again.")
    if isinstance(exc, DataError):
        return Failure(False, f"The database refused a value in this file ({_detail(exc)}). Nothing was "
                              "written; fix the file and upload it again.")
    if isinstance(exc, (ProgrammingError, NotSupportedError)):
        return Failure(False, f"The {what} stopped on an internal error ({_detail(exc)}). Nothing was written; "
                              "report this to your administrator with the batch number.")
    return Failure(True, f"The {what} stopped ({_detail(exc)}). Nothing was written; start it again.")
