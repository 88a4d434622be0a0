"""Corpus stage: the manifest, reading and cleaning documents, structure, the comparison plan."""
