"""Analysis stage: clause functions, alignment, themes, fates and threads, and their readings."""
