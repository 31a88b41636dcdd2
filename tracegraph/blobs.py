"""Uploaded files kept by content hash: ``<dir>/<sha256[:2]>/<sha256>``.

A file is what its first bytes say, not what the client calls it: JPEG, PNG and PDF are
recognised by their signatures, anything else is refused before a byte is kept. An upload is
streamed once: hashed and counted while it is copied to a temporary file in the store's own
directory (so the final rename is atomic and on one file system), stopped at the size limit, then
renamed to its hash. The same content uploaded twice is kept once. Who may read a file is decided
in the graph (the Document node and what it belongs to), never here.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

# Content type -> the bytes such a file starts with.
SIGNATURES: dict[str, bytes] = {
    "image/jpeg": b"\xff\xd8\xff",
    "image/png": b"\x89PNG\r\n\x1a\n",
    "application/pdf": b"%PDF-",
}
# What a client may declare without naming a type (curl's default, browsers' unknown).
UNNAMED = frozenset({"", "application/octet-stream"})
CHUNK = 64 * 1024


class Readable(Protocol):
    async def read(self, size: int = -1) -> bytes: ...


class BlobRefused(Exception):  # noqa: N818 - a refusal the caller answers, not a fault
    """The file is not one to keep: too large, or not of an allowed type."""


@dataclass(frozen=True)
class Stored:
    sha256: str
    size: int
    content_type: str
    created: bool  # False when the same content was already kept


def sniff(head: bytes) -> str | None:
    return next((kind for kind, magic in SIGNATURES.items() if head.startswith(magic)), None)


@dataclass(frozen=True)
class UploadPolicy:
    """Where uploads go and what they may be (Settings: documents dir, max bytes, types)."""

    store: BlobStore
    max_bytes: int
    allowed: tuple[str, ...]


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise ValueError("not a sha256 hex digest")
        return self.root / sha256[:2] / sha256

    async def put(
        self, source: Readable, *, declared: str | None, allowed: tuple[str, ...], limit: int
    ) -> Stored:
        """Keep ``source`` (read to its end) or raise BlobRefused with a sentence for a person."""
        self.root.mkdir(parents=True, exist_ok=True)
        digest, size, kind = hashlib.sha256(), 0, None
        fd, temporary = tempfile.mkstemp(dir=self.root, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := await source.read(CHUNK):
                    if kind is None:
                        kind = self._kind(chunk, declared, allowed)
                    size += len(chunk)
                    if size > limit:
                        raise BlobRefused(f"the file is larger than {limit} bytes")
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if kind is None:
                raise BlobRefused("the file is empty")
            sha = digest.hexdigest()
            final = self.path(sha)
            if final.exists():
                return Stored(sha, size, kind, created=False)
            final.parent.mkdir(exist_ok=True)
            os.replace(temporary, final)
            return Stored(sha, size, kind, created=True)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)

    @staticmethod
    def _kind(head: bytes, declared: str | None, allowed: tuple[str, ...]) -> str:
        kind = sniff(head)
        names = ", ".join(allowed)
        if kind is None or kind not in allowed:
            raise BlobRefused(f"the file is not one of the types accepted ({names})")
        stated = (declared or "").split(";")[0].strip().lower()
        if stated not in UNNAMED and stated != kind:
            raise BlobRefused(f"the file was sent as {stated} but its content is {kind}")
        return kind

    def remove(self, sha256: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path(sha256).unlink()
