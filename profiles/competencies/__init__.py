"""Competencies: frameworks, scales, role targets, the append-only evidence log and the level policy."""
