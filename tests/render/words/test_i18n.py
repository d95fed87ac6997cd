"""One concept, one term: templates/i18n/glossary.csv names each concept's French and Spanish term.

Every message of the one gettext catalogue that names a concept in English says it with the glossary's term in
French and Spanish, and never with a term the glossary rules out ("écart" for a gap, "socio" for a partner,
"numéraire" for cash): the PDF, the workbook, the reports, the site and the portal read the same catalogue, so
a reader meets one word per thing everywhere.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from catalogue.config import TEMPLATES_DIR
from catalogue.render.words.i18n import po_path

GLOSSARY = TEMPLATES_DIR / "i18n" / "glossary.csv"


def glossary() -> list[dict[str, str]]:
    with GLOSSARY.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _messages(lang: str) -> list[tuple[str, str]]:
    with po_path(lang).open("rb") as f:
        return [(m.id, m.string) for m in read_po(f, locale=lang) if isinstance(m.id, str) and m.id and m.string]


def _without_placeholders(text: str) -> str:
    """The words a reader reads as the language's: no placeholders, no file names (donors.csv), nothing quoted."""
    text = re.sub(r"%\(\w+\)s|\b[\w-]+\.(?:csv|xlsx|json)\b", " ", text)
    return re.sub(r"(?<!\w)'[^']*'(?!\w)|«[^»]*»|\"[^\"]*\"", " ", text)


def _kept_as_typed(english: re.Pattern[str], msgid: str, msgstr: str) -> bool:
    """The English word stays in the translation: a value typed in the (English) workbook, such as `pledged`."""
    return all(found.group(0).lower() in msgstr.lower() for found in english.finditer(msgid))


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_each_concept_has_one_term(lang: str) -> None:
    wrong: list[tuple[str, str, str, str]] = []
    messages = _messages(lang)
    for entry in glossary():
        english = re.compile(entry["en"], re.I)
        term, never = re.compile(entry[lang], re.I), entry[f"{lang}_never"]
        for msgid, msgstr in messages:
            if not english.search(_without_placeholders(msgid)):
                continue
            said = _without_placeholders(msgstr)
            if never and re.search(never, said, re.I):
                wrong.append((entry["concept"], "ruled-out term", msgid, msgstr))
            elif not term.search(said) and not _kept_as_typed(english, _without_placeholders(msgid), said):
                wrong.append((entry["concept"], f"not '{entry[lang]}'", msgid, msgstr))
    assert not wrong, f"{len(wrong)} messages:\n" + "\n".join(map(str, wrong[:40]))


def test_the_glossary_covers_the_words_donors_and_partners_meet() -> None:
    concepts = {e["concept"] for e in glossary()}
    assert {"gap", "languishing", "cash", "partner", "donor", "pledged", "secured", "match offer"} <= concepts
    assert Path(GLOSSARY).read_text(encoding="utf-8").count("\n") == len(concepts) + 1
