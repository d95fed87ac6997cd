"""Stages 3-5: merge the records into a programme, cost and budget it, and assemble the one catalogue model."""
