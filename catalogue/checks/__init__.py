"""Stage 2, the gate: every record against its schema, then the rules across records, into one Report."""
