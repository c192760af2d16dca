"""Classify passages against a framework's themes.

Signals: framework keywords (English and Welsh, with Welsh mutations), sentence-embedding
similarity to each theme's own text, and, where labelled data exists, a supervised head
trained by `stratlens train`. Every label carries a score in 0..1, whether it passes the
theme's threshold, and the keywords that matched (the evidence beside the passage itself).
"""

from stratlens.classify.scorer import Classifier, Prediction, get_classifier

__all__ = ["Classifier", "Prediction", "get_classifier"]
