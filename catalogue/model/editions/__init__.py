"""Editions compared: what changed between two catalogue.json documents, item by item, with the effect of
exchange rates set apart, as catalogue.json's `changes` object. Kept on disk by publishing/edition_store.py."""
