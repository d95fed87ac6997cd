"""Parts laid out apart, joined into one tagged, bookmarked PDF with running page numbers (pikepdf).

Each part is a complete tagged PDF from WeasyPrint (render/pdf/parts.py says how
the catalogue is cut). Joining keeps what a reader and a screen reader use:
- pages in order, each with "page x of y" laid over it from a counter document
  (WeasyPrint's own rendering of the footer), marked as an artifact;
- one structure tree: each part's elements under one Document element, its
  parent-tree keys moved past the previous parts' keys;
- one name tree of destinations, so links between parts work: a part's link
  to another part's anchor arrives as a URI with PART_LINK_SCHEME and becomes a
  named destination here;
- one outline: a part that continues the Priorities section hangs its
  bookmarks under that section's;
- the front part's document information, language and viewer settings.
Saved with a content-derived /ID, so equal parts give equal bytes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem, Pdf, String

from catalogue.render.pdf.parts import PART_LINK_SCHEME

COUNTER_NAME = "/CatalogueCounter"
CATALOG_KEYS = ("/Lang", "/ViewerPreferences", "/MarkInfo", "/PageMode", "/Metadata")


class MeasuredPart:
    """One part's PDF and what the page numbering needs of it (its page count and anchors), measured once.

    `continues` when its top bookmarks belong under the previous section's. The part is not held open: at
    20,000 activities the 481 parts open at once took 3 GiB of qpdf objects. The join opens each in turn.
    """

    def __init__(self, pdf: bytes, continues: bool = False) -> None:
        self.pdf = pdf
        self.continues = continues
        with Pdf.open(BytesIO(pdf)) as src:
            index = _page_index(src)
            self.pages = len(src.pages)
            self.anchors = {name: index[dest[0].objgen] for name, dest in _destinations(src)}


def _page_index(src: Pdf) -> dict[tuple[int, int], int]:
    return {page.obj.objgen: i for i, page in enumerate(src.pages)}


def _destinations(src: Pdf) -> Iterator[tuple[str, Any]]:
    names = src.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return
    for name, dest in pikepdf.NameTree(names.Dests).items():
        yield str(name), dest


class _Joiner:
    """The joined document being built, part after part."""

    def __init__(self) -> None:
        self.out = Pdf.new()
        self.document = self.out.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array()))
        self.parent_tree = Array()
        self.struct_base = 0
        self.dests: dict[str, Array] = {}
        self.bookmarks: list[tuple[int, str, int, Any, Any]] = []

    def add(self, part: MeasuredPart) -> None:
        """Copy the part's pages, structure, destinations and bookmarks, then close it: only the joined
        document grows, one part at a time."""
        with _opened(part.pdf) as src:
            self._add(src, part.continues)

    def _add(self, src: Pdf, continues: bool) -> None:
        index = _page_index(src)
        first = len(self.out.pages)
        self.out.pages.extend(src.pages)
        new_pages = [self.out.pages[i] for i in range(first, len(self.out.pages))]
        self._add_structure(src, new_pages)
        for page in new_pages:
            for annotation in page.obj.get("/Annots", []):
                _link_to_destination(annotation)
        for name, dest in _destinations(src):
            if name not in self.dests:  # as WeasyPrint does: the first anchor of a name wins
                page = new_pages[index[dest[0].objgen]]
                self.dests[name] = Array([page.obj, Name.XYZ, dest[2], dest[3], 0])
        for depth, title, page_index, left, top in _outline_entries(src, index):
            self.bookmarks.append((depth + (1 if continues else 0), title, first + page_index, left, top))

    def _add_structure(self, src: Pdf, new_pages: list[pikepdf.Page]) -> None:
        root = src.Root.get("/StructTreeRoot")
        if root is None:
            return
        top = -1
        nums = root.ParentTree.Nums
        for i in range(0, len(nums), 2):
            key = int(nums[i])
            self.parent_tree.append(key + self.struct_base)
            self.parent_tree.append(_copy(self.out, src, nums[i + 1]))
            top = max(top, key)
        for element in _copy(self.out, src, root.K[0].K):
            element.P = self.document
            self.document.K.append(element)
        for page in new_pages:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + self.struct_base
            for annotation in page.obj.get("/Annots", []):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + self.struct_base
        self.struct_base += top + 1

    def finish(self, front: Pdf, counter: Sequence[pikepdf.Page]) -> Pdf:
        out = self.out
        out.Root.StructTreeRoot = out.make_indirect(Dictionary(
            Type=Name.StructTreeRoot, K=Array([self.document]),
            ParentTree=out.make_indirect(Dictionary(Nums=self.parent_tree)),
            ParentTreeNextKey=self.struct_base,
        ))
        self.document.P = out.Root.StructTreeRoot
        names = Array()
        for name in sorted(self.dests):
            names.extend([String(name), self.dests[name]])
        out.Root.Names = Dictionary(Dests=out.make_indirect(Dictionary(Names=names)))
        for key in CATALOG_KEYS:
            if key in front.Root:
                out.Root[key] = _copy(out, front, front.Root[key])
        out.docinfo = _copy(out, front, front.docinfo)
        self._write_outline()
        _stamp_counter(out, counter)
        return out

    def _write_outline(self) -> None:
        with self.out.open_outline() as outline:
            stack: list[OutlineItem] = []
            for depth, title, page, left, top in self.bookmarks:
                item = OutlineItem(title, page, "XYZ", left=left, top=top)
                del stack[depth:]
                (stack[-1].children if stack else outline.root).append(item)
                stack.append(item)


def _copy(out: Pdf, src: Pdf, obj: Any) -> Any:
    """`obj` from `src`, as an object of `out`; an array or dictionary comes back indirect.

    qpdf copies an indirect object with everything it refers to in one call, and each source object only once
    however often it is referred to. A direct array (a page's list of structure elements) is made indirect in
    its source first: copied item by item from Python, the 20,000-activity catalogue's parent tree took 5 s.
    """
    if isinstance(obj, pikepdf.Object) and obj.is_indirect:
        return out.copy_foreign(obj)
    if isinstance(obj, Array | Dictionary):
        return out.copy_foreign(src.make_indirect(obj))
    return obj


def _outline_entries(src: Pdf, index: dict[tuple[int, int], int]) -> Iterator[tuple[int, str, int, Any, Any]]:
    """Every bookmark of a part, depth first: (depth, title, page index, left, top)."""
    def walk(items: list[OutlineItem], depth: int) -> Iterator[tuple[int, str, int, Any, Any]]:
        for item in items:
            dest: Any = item.destination
            yield depth, item.title, index[dest[0].objgen], dest[2], dest[3]
            yield from walk(item.children, depth + 1)
    with src.open_outline() as outline:
        yield from walk(list(outline.root), 0)


def _link_to_destination(annotation: Any) -> None:
    """A link between parts (a URI with PART_LINK_SCHEME) becomes a link to the named destination."""
    action = annotation.get("/A")
    if action is None or action.get("/S") != Name.URI:
        return
    uri = str(action.URI)
    if uri.startswith(PART_LINK_SCHEME):
        del annotation.A
        annotation.Dest = String(unquote(uri[len(PART_LINK_SCHEME):]))


def _stamp_counter(out: Pdf, counter: Sequence[pikepdf.Page]) -> None:
    """Lay page i of the counter documents over page i, as an artifact (page furniture, not content)."""
    for page, stamp in zip(out.pages, counter, strict=True):
        form = out.copy_foreign(stamp.as_form_xobject())
        # WeasyPrint shares one resource dictionary between a part's pages: each page gets its own copy,
        # with the counter under a fixed name (pikepdf's generated names are random: bytes would differ).
        resources = Dictionary(dict(page.obj.Resources.items()))
        resources.XObject = Dictionary(dict(resources.get("/XObject", Dictionary()).items()))
        resources.XObject[COUNTER_NAME] = form
        page.obj.Resources = resources
        page.contents_add(b"q\n", prepend=True)
        page.contents_add(b"\nQ\nq /Artifact BMC " + COUNTER_NAME.encode("ascii") + b" Do EMC Q\n")


@contextmanager
def _opened(pdf: bytes) -> Iterator[Pdf]:
    """A part's PDF, open while the join copies from it, its streams detached first (what is copied outlives it)."""
    with Pdf.open(BytesIO(pdf)) as src:
        _detach_streams(src)
        yield src


def _detach_streams(src: Pdf) -> None:
    """Give each stream of `src` its data in memory, still encoded as it is, so that what the join copies from
    `src` no longer needs `src`: qpdf copies a foreign stream's buffer, but keeps the whole foreign document
    alive to read a file-backed one at save time."""
    for obj in src.objects:
        if isinstance(obj, pikepdf.Stream):
            filters: Any = obj.get("/Filter")
            parms: Any = obj.get("/DecodeParms")
            obj.write(obj.read_raw_bytes(), filter=filters, decode_parms=parms, type_check=False)


def join_parts(front: MeasuredPart, parts: Sequence[MeasuredPart], counter: Sequence[bytes], path: Path) -> None:
    """Write front + parts as one PDF to `path`, "page x of y" from the `counter` documents (a page per page).

    Parts are opened one at a time; the joined document is the only one held whole.
    """
    joiner = _Joiner()
    for part in (front, *parts):
        joiner.add(part)
    counters = [Pdf.open(BytesIO(pdf)) for pdf in counter]
    try:
        with _opened(front.pdf) as front_pdf:  # its metadata stream is copied, and the part closed before saving
            joined = joiner.finish(front_pdf, [page for pdf in counters for page in pdf.pages])
        joined.save(path, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    finally:
        for pdf in counters:
            pdf.close()
