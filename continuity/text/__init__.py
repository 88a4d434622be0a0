"""Text stage: the comparison form of Chinese text, word segmentation, sentence units, clauses."""
