"""Stage 1, read: files in the inputs folder into records that remember where every value came from."""
