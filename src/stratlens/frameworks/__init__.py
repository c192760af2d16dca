"""Frameworks as data: themes, checklists, taxonomies and practice ladders kept in YAML.

The files under ``data/`` are the project's own paraphrases of published frameworks. They are
validated on load so that a mistake in a file (a duplicate id, a practice ladder with a missing
rung, a crosswalk to an outcome that does not exist) is reported with the file and the field,
rather than surfacing later as a wrong coverage figure.
"""

from stratlens.frameworks.model import (
    Action,
    Framework,
    Localised,
    PracticeStage,
    Theme,
)
from stratlens.frameworks.loader import (
    LGA_ID,
    builtin_dir,
    list_frameworks,
    load_framework,
)

__all__ = [
    "Action",
    "Framework",
    "LGA_ID",
    "Localised",
    "PracticeStage",
    "Theme",
    "builtin_dir",
    "list_frameworks",
    "load_framework",
]
