"""PDFs: the HTML every document is laid out from, WeasyPrint behind a safe fetcher, the catalogue in parts laid
out by a process pool with its cache, and the join into one tagged PDF; the pack's and the statement's PDF."""
