"""Named exceptions. Each carries the offending value in its message."""

from collections.abc import Iterable


class HostkbError(Exception):
    """Base class for every error hostkb raises on purpose."""


class LoadError(HostkbError):
    """A document could not be read into text (corrupt, encrypted, empty, no text layer, ...).

    ``reason`` is a short machine-readable code stored in the errors table.
    """

    def __init__(self, path: str, reason: str, detail: str):
        self.path = path
        self.reason = reason
        self.detail = detail
        super().__init__(f"{path}: {reason}: {detail}")


class UnsupportedFormat(LoadError):
    def __init__(self, path: str, suffix: str):
        super().__init__(path, "unsupported_format", f"no loader for {suffix!r} files")


class VocabularyError(HostkbError):
    """schema/vocab.toml is inconsistent (unknown unit, duplicate metric, ...)."""


class UnknownMetric(HostkbError):
    def __init__(self, metric: str, known):
        super().__init__(f"unknown metric {metric!r}; known: {', '.join(sorted(known))}")
        self.metric = metric


class DatabaseError(HostkbError):
    """The database is missing, not a hostkb database, or of another schema version."""


class InconsistentExtraction(HostkbError):
    """An Extraction refers to something the document does not have (an unknown host
    name, a sentence index out of range, a metric missing from the vocabulary)."""

    def __init__(self, document: str, detail: str):
        self.document = document
        self.detail = detail
        super().__init__(f"{document}: {detail}")


class HostNotFound(HostkbError):
    """No host node has this id, name or alias."""

    def __init__(self, host: str, suggestions: Iterable[str] = ()):
        self.host = host
        hint = ", ".join(sorted(set(suggestions))[:8])
        super().__init__(f"no host named {host!r} in the graph" + (f"; did you mean: {hint}" if hint else ""))


class AmbiguousHost(HostkbError):
    """A host name or alias that designs of several papers share: the paper must be chosen."""

    def __init__(self, host: str, candidates: Iterable[tuple[str, str, str]]):
        self.host = host
        self.candidates = list(candidates)  # (name, kind, document)
        listed = "; ".join(f"{name} ({kind}) in {document}" for name, kind, document in self.candidates)
        super().__init__(f"{host!r} names hosts of {len({c[2] for c in self.candidates})} documents: {listed}. "
                         f"Choose one with --paper DOCUMENT")


class OutputError(HostkbError):
    """A file or folder hostkb was asked to write cannot be written."""


class BuildBusy(DatabaseError):
    """Another build is writing the same database."""


_LINE_BREAKING = {0x85, 0x2028, 0x2029}


def printable(text: object) -> str:
    """``text`` with every control character (C0, DEL, C1) and Unicode line or paragraph
    separator written as a ``\\xNN`` / ``\\uNNNN`` escape, so that a message quoting a
    file name or a document's text stays one line and cannot forge another line."""
    out = []
    for ch in str(text):
        code = ord(ch)
        if code < 0x20 or 0x7F <= code < 0xA0 or code in _LINE_BREAKING:
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)
