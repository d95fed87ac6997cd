"""The reader's words: the language and its formats, closed vocabularies, findings and changes as text, the report."""
