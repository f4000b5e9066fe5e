"""The bytes of an uploaded file, checked as they stream past: size limit, UTF-8, no NUL bytes.

Checking here, before any parser sees the bytes, gives CSV and XML the same clear file-level
errors, and a file is never read whole into memory.
"""

from __future__ import annotations

import codecs
import io
from typing import BinaryIO

from openlrs.batch.file_errors import BatchEncodingError, BatchFileTooLarge

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_CHUNK = 64 * 1024


class CheckedSource(io.RawIOBase):
    """A readable stream over `stream` that raises BatchFileTooLarge or BatchEncodingError."""

    def __init__(self, stream: BinaryIO, *, max_bytes: int) -> None:
        super().__init__()
        self._stream = stream
        self._max_bytes = max_bytes
        self._decoder = codecs.getincrementaldecoder("utf-8")("strict")
        self.bytes_read = 0
        self._lines = 1

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        chunk = self._stream.read(min(len(buffer), _CHUNK))
        if not chunk:
            self._check(b"", final=True)
            return 0
        self._check(chunk, final=False)
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def _check(self, chunk: bytes, *, final: bool) -> None:
        if self.bytes_read == 0 and chunk.startswith(_UTF16_BOMS):
            raise BatchEncodingError("The file is UTF-16: save it as UTF-8 (CSV UTF-8) instead")
        self.bytes_read += len(chunk)
        if self.bytes_read > self._max_bytes:
            raise BatchFileTooLarge(f"The file is larger than the limit of {self._max_bytes} bytes")
        if b"\0" in chunk:
            line = self._lines + chunk.count(b"\n", 0, chunk.index(b"\0"))
            raise BatchEncodingError(
                f"Line {line} contains a NUL byte: the file may be UTF-16; save it as UTF-8"
            )
        try:
            self._decoder.decode(chunk, final)
        except UnicodeDecodeError as exc:
            line = self._lines + chunk.count(b"\n", 0, max(exc.start, 0))
            raise BatchEncodingError(
                f"Line {line} is not valid UTF-8: save the file as UTF-8"
            ) from None
        self._lines += chunk.count(b"\n")
