"""stratlens: evidence-backed analysis of public-sector digital strategies.

The pipeline flows one way: ingest -> segment -> classify -> analyse -> present.
The public surface re-exported here is deliberately small.
"""

from stratlens.frameworks import Framework, load_framework, list_frameworks

__version__ = "0.1.0"
__all__ = ["Framework", "load_framework", "list_frameworks", "__version__"]
