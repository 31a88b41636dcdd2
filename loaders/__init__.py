"""Data ingest: sources -> validated records -> graph."""
