"""One module per schema change, oldest first (r0001 is the schema every release before migrations made)."""
