"""The SHA-256 a file is recorded under: an inbox file in audit.files (a purge deletes
only the bytes a night read), an export in audit.exports."""

from __future__ import annotations

import hashlib
from pathlib import Path


def checksum(path: Path) -> str:
    """The file's SHA-256, read in blocks."""
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()
