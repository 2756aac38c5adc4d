"""The exceptions nkwatch raises, as one tree.

    NkwatchError
    ├── InputError            a document could not be used; the batch goes on
    │   ├── UnreadableInput   empty, binary, undecodable or too large
    │   └── MalformedInput    broken HTML, feed or JSON
    ├── StoreError            the knowledge base itself failed
    ├── ExportError           an export could not be written
    ├── SearchError           the search index could not be opened, written or asked
    ├── EngineError           a distributed engine could not start or reach its workers
    │   └── MissingExtra      an optional dependency it needs is not installed
    └── NotFound              a post, entity or story that is not in the store
        └── Ambiguous         a name that denotes several of them

Every message says what happened and what to do about it, in one line: the CLI
prints it as it is, with no traceback.
"""


class NkwatchError(Exception):
    """Base of every error nkwatch raises on purpose."""


class InputError(NkwatchError):
    """A document could not be read; other documents are unaffected."""


class UnreadableInput(InputError):
    """The bytes are not a text document nkwatch can read."""


class MalformedInput(InputError):
    """The document claims a format (HTML, feed, JSON) but breaks it."""


class StoreError(NkwatchError):
    """The knowledge base could not be opened, migrated or written."""


class ExportError(NkwatchError):
    """An export could not be written where it was asked for."""


class SearchError(NkwatchError):
    """The search index could not be opened, written or queried."""


class EngineError(NkwatchError):
    """A distributed engine could not start, or could not reach its scheduler or workers."""


class MissingExtra(EngineError):
    """An optional dependency is not installed; the message names the extra to install."""


class NotFound(NkwatchError):
    """A requested record is not in the knowledge base."""


class Ambiguous(NotFound):
    """A name that denotes several records; the message lists them."""
