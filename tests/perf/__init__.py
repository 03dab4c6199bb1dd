"""Test data for the read side: a small known sample, and a bulk filler for benchmarks."""
