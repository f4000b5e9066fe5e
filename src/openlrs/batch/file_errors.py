"""File-level failures of a batch file: the whole file is refused and no row is processed.

Each is a DomainError with a stable code, so the API turns it into problem+json like any other
business failure and the validator reports it as a finding without a row number. Messages name
columns, lines and limits, never a cell's value.
"""

from __future__ import annotations

from openlrs.domain.errors import DomainError


class BatchFileError(DomainError):
    """The file cannot be read as a batch of this kind and format."""

    code = "BATCH_FILE_INVALID"
    title = "The batch file cannot be read"
    status = 422


class BatchFileTooLarge(BatchFileError):
    code = "BATCH_FILE_TOO_LARGE"
    title = "The batch file is larger than the configured limit"
    status = 413


class BatchTooManyRows(BatchFileError):
    code = "BATCH_TOO_MANY_ROWS"
    title = "The batch file has more rows than the configured limit"
    status = 413


class BatchEncodingError(BatchFileError):
    code = "BATCH_ENCODING"
    title = "The batch file must be UTF-8 text (with or without a byte order mark)"


class BatchEmpty(BatchFileError):
    code = "BATCH_EMPTY"
    title = "The batch file has no learner rows"


class BatchHeaderMissing(BatchFileError):
    code = "BATCH_HEADER_MISSING"
    title = "The first line must be a header naming the columns"


class BatchColumnUnknown(BatchFileError):
    code = "BATCH_COLUMN_UNKNOWN"
    title = "The header names a column this kind of batch does not have"


class BatchColumnDuplicated(BatchFileError):
    code = "BATCH_COLUMN_DUPLICATED"
    title = "The header names a column more than once"


class BatchColumnMissing(BatchFileError):
    code = "BATCH_COLUMN_MISSING"
    title = "The header lacks a column this kind of batch requires"


class BatchMalformed(BatchFileError):
    code = "BATCH_MALFORMED"
    title = "The file is not well-formed CSV or XML"


class BatchXmlUnsafe(BatchFileError):
    code = "BATCH_XML_UNSAFE"
    title = "XML with a DOCTYPE, DTD or entity declarations is refused"


class BatchXmlSchema(BatchFileError):
    code = "BATCH_XML_SCHEMA"
    title = "The XML does not follow the batch schema"


class BatchKindUnknown(BatchFileError):
    code = "BATCH_KIND_UNKNOWN"
    title = "The kind of batch (registration or vld) could not be told from the file"


class BatchFormatUnknown(BatchFileError):
    code = "BATCH_FORMAT_UNKNOWN"
    title = "The format (csv or xml) could not be told from the file"


class BatchFormatNotOffered(BatchFileError):
    code = "BATCH_FORMAT_NOT_OFFERED"
    title = "This kind of batch is not taken in this format"
