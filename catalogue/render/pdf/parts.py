"""The catalogue cut into parts that WeasyPrint can lay out on their own, in any order, in other processes.

Every cut is at a page break the whole document already has (each section, each
priority that has work, starts a page), so a part laid out alone breaks its
pages exactly where the whole document does. What a part cannot know alone is
added when the parts are joined (render/pdf/join.py): "page x of y" is stamped
on every page, the contents prints page numbers measured from the other parts,
and links between parts become named destinations of the joined file.

A part's HTML is its identity: the cache of rendered parts is keyed by it, so a
part whose content has not changed is never laid out again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup

from catalogue.model.catalogue import Catalogue

# The sections of catalogue.html.j2 in print order; "priorities" is the section's heading, its articles are parts.
FRONT = "front"
LEADING = ("glance", "changes", "gaps")
TRAILING = ("languishing", "delivered", "partners", "annex-gaps", "annex-groupings", "annex-sources", "annex-double-counting",
            "annex-methodology", "annex-fx", "annex-warnings", "annex-provenance", "annex-flows")
ALL_SECTIONS = frozenset((FRONT, *LEADING, "priorities", *TRAILING))
# Sections that grow into one long table or list at scale, and how many of their rows one part lays out. A long
# table laid out alone cost WeasyPrint memory and time out of proportion (at 20,000 activities the data-quality
# annex's 2,118 rows were one process's whole job and most of the build's peak memory). Each slice starts a page
# in every rendering, the whole document too, so the parts still break where it does; a catalogue whose tables
# are shorter than one slice prints exactly as before.
ROWS_PER_PART = {"delivered": 250, "partners": 60, "annex-sources": 400, "annex-warnings": 250, "annex-flows": 300}
# An internal link inside a part: the join turns it into a named destination of the whole file (see pdf_join).
PART_LINK_SCHEME = "x-catalogue-anchor:"
STAND_IN_PAGE = 888  # what the contents prints while its own length is measured


@dataclass(frozen=True)
class Part:
    """What one rendering of catalogue.html.j2 prints: some sections, and the priorities at these positions.

    `chunked` is False only for the whole document in one piece (the serial path).
    `continues` marks a part that starts inside the Priorities section: its bookmarks hang under that section's.
    `page_of` (front part only) holds the page number of each anchor, measured from the other parts.
    """

    name: str
    sections: frozenset[str]
    priorities: range = range(0)
    chunked: bool = True
    continues: bool = False
    page_of: dict[str, int] | None = field(default=None, compare=False)
    rows: range | None = None  # one slice of a long section's rows (ROWS_PER_PART); None: all its slices

    def shows(self, section: str) -> bool:
        """Whether this rendering prints `section` (one of ALL_SECTIONS)."""
        return section in self.sections

    def row_slices(self, section: str, count: int) -> list[range]:
        """The slices of a long section's `count` rows this rendering prints, each starting a page (the first
        with the section's heading)."""
        return [self.rows] if self.rows is not None else row_slices(section, count)

    def page_attr(self, anchor: str) -> Markup:
        """The data-page attribute a contents line prints when the page numbers come from the join.

        The front part without numbers yet (page_of None) prints a stand-in as wide as most, to measure its length.
        """
        if not self.chunked or not self.shows(FRONT):  # the whole document numbers its contents with target-counter
            return Markup("")
        number = STAND_IN_PAGE if self.page_of is None else self.page_of.get(anchor, "")
        return Markup(' data-page="{}"').format(number)


def whole_document(catalogue: Catalogue) -> Part:
    """The catalogue in one piece: every section, every priority, numbered by WeasyPrint itself."""
    return Part("whole", ALL_SECTIONS, range(len(catalogue.priorities)), chunked=False)


def front_part(page_of: dict[str, int] | None) -> Part:
    """The cover and the contents, printing the page numbers in `page_of` (stand-ins when None)."""
    return Part(FRONT, frozenset({FRONT}), page_of=page_of)


def body_parts(catalogue: Catalogue, has_changes: bool) -> list[Part]:
    """Everything after the contents, cut at the page breaks: sections, and the priorities one page-run each.

    Consecutive priorities without work share a page in print (catalogue.css), so a run of them stays in one part.
    """
    parts = [Part(name, frozenset({name})) for name in LEADING if name != "changes" or has_changes]
    starts = _priority_starts(catalogue)
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(catalogue.priorities)
        if i == 0:
            parts.append(Part("priorities", frozenset({"priorities"}), range(start, end)))
        else:
            parts.append(Part(f"priority-{start + 1}", frozenset(), range(start, end), continues=True))
    if not starts:
        parts.append(Part("priorities", frozenset({"priorities"})))
    lengths = {"delivered": len(catalogue.delivered_work()), "partners": len(catalogue.partners), "annex-sources": len(catalogue.funding_sources),
               "annex-warnings": len(catalogue.warnings), "annex-flows": len(catalogue.contributions.flows)}
    for name in TRAILING:
        if name not in ROWS_PER_PART:
            parts.append(Part(name, frozenset({name})))
            continue
        for rows in row_slices(name, lengths[name]):
            label = name if rows.start == 0 else f"{name}-{rows.start + 1}"
            parts.append(Part(label, frozenset({name}), rows=rows, continues=rows.start > 0))
    return parts


def row_slices(section: str, count: int) -> list[range]:
    """A long section's rows cut into slices of ROWS_PER_PART; one empty slice when it has none."""
    size = ROWS_PER_PART[section]
    return [range(start, min(start + size, count)) for start in range(0, count, size)] or [range(0)]


def _priority_starts(catalogue: Catalogue) -> list[int]:
    """Positions of the priorities that begin a page: all but a no-work priority following another."""
    starts: list[int] = []
    previous_no_work = False
    for i, priority in enumerate(catalogue.priorities):
        no_work = not catalogue.activities_for(priority) and not catalogue.tasks_for(priority)
        if not (no_work and previous_no_work):
            starts.append(i)
        previous_no_work = no_work
    return starts


def as_part_html(html: str) -> str:
    """A part's HTML with its internal links pointed at the whole file's named destinations.

    WeasyPrint drops a link to an anchor outside the document it lays out; a link
    with this scheme survives as a URI action that the join rewrites. Only the
    template writes `href="#` (partner text is escaped, its quotes included).
    """
    return html.replace('href="#', f'href="{PART_LINK_SCHEME}')


def page_counter_html(labels: Sequence[str | None], lang: str) -> str:
    """A document of empty pages printing only their label ("page 5 of 73"; None: the cover, unnumbered).

    The join lays each of its pages over the page of the same number, so the
    counter is set by WeasyPrint, with the same font and place as the
    whole-document path. Each page carries its own text, not a CSS counter, so
    a long catalogue's counter is laid out in slices, in parallel, and a slice
    is reused from the cache while the page count stays the same.
    """
    pages = "".join('<div class="cover-blank"></div>' if label is None
                    else Markup('<div class="blank" data-counter="{}"></div>').format(label) for label in labels)
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            '<link rel="stylesheet" href="catalogue.css"><style>'
            '@page { @top-left { content: none; } @top-right { content: none; } '
            '@bottom-left { content: none; } @bottom-center { content: string(counter); } }'
            '.blank { string-set: counter attr(data-counter); } '
            '.cover-blank { page: cover; break-after: page; } .blank { break-after: page; } '
            '.blank:last-child, .cover-blank:last-child { break-after: auto; }'
            f'</style></head><body>{pages}</body></html>')
