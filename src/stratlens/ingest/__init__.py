"""Readers that turn a file into blocks of text with page and heading information.

One reader per format; `read_file` picks it by extension and enforces the limits in
`stratlens.config.Limits`, so every reader can assume its input passed the basic checks.
"""

from stratlens.ingest.dispatch import SUPPORTED_SUFFIXES, read_file, iter_input_files

__all__ = ["SUPPORTED_SUFFIXES", "read_file", "iter_input_files"]
