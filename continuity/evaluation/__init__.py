"""Measuring the analysis against annotated probes: alignment and clause functions."""
