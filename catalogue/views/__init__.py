"""What a reader selects from the model: a donor's matched gaps, a partner's co-funding statement."""
