"""Workbooks: the one safe writer, the catalogue's tables and sheets, the pack's and the statement's extracts,
the partner's template and the partner's own workbook with its problems marked."""
