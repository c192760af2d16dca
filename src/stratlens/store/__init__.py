"""The SQLite store: one file, a versioned schema, and the queries the stages need.

Every document is written in one transaction (document row, passages, labels), so a failure
while storing leaves the store exactly as it was.
"""

from stratlens.store.db import Store, SCHEMA_VERSION

__all__ = ["Store", "SCHEMA_VERSION"]
