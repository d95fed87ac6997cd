"""The pure library behind the flows: no Prefect, no printing; disk only at the edges (load, publish)."""
