"""Stage 6: the model as PDF, XLSX, JSON and HTML. Formatting only: no renderer computes a figure."""
