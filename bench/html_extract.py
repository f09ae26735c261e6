"""Compare HTML article extractors on the 62 real pages of ../shared/corpus/html-gne/.

Expectations come from ``tests/fixtures/html_eval.json`` (made by hand: per page the headline, must-have
snippets from the article body, must-not-have snippets of page furniture that is on the page).

Measures, pooled over all pages:

- recall    = must-have snippets present in the extracted text / all must-have snippets
- precision = must-not-have snippets absent from the extracted text / all must-not-have snippets
- F1        = harmonic mean of that precision and recall
- headline  = share of pages whose extracted headline equals the expected one exactly after whitespace
  normalisation (all whitespace removed: Chinese headlines do not separate words with spaces and sites
  break them with ``<br>`` or source line breaks inconsistently)

Text and snippets are compared after :func:`summitwatch.sources.html.normalise_space` (whitespace runs
collapsed, source line breaks between CJK characters dropped).

Extractors:

- ``trafilatura``: ``trafilatura.bare_extraction`` with its default settings (text and title)
- ``readability``: readability-lxml ``Document.summary()`` text and ``Document.short_title()``
- ``summitwatch``: ``summitwatch.sources.html.extract_html`` (blocks joined, ``title``)

Usage: ``python bench/html_extract.py [--corpus DIR] [--verbose] [--only summitwatch]``
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from summitwatch.sources.html import extract_html, normalise_space  # noqa: E402

Extractor = Callable[[str], tuple[str, str]]


def run_trafilatura(html: str) -> tuple[str, str]:
    import trafilatura

    doc = trafilatura.bare_extraction(html, with_metadata=True)
    if doc is None:
        return "", ""
    return doc.title or "", doc.text or ""


def run_readability(html: str) -> tuple[str, str]:
    from lxml import html as lxml_html
    from readability import Document

    try:
        doc = Document(html)
        summary = doc.summary(html_partial=True)
        tree = lxml_html.fragment_fromstring(summary, create_parent="div")
        blocks = [" ".join(el.itertext()) for el in tree.iter("p", "h1", "h2", "h3", "h4", "li", "div", "td")]
        text = "\n".join(blocks) if blocks else tree.text_content()
        return doc.short_title() or "", text
    except Exception:  # noqa: BLE001 - the bench measures failures as empty output
        return "", ""


def run_summitwatch(html: str) -> tuple[str, str]:
    doc = extract_html(html)
    return doc.title, "\n\n".join(b.text for b in doc.blocks)


EXTRACTORS: dict[str, Extractor] = {
    "trafilatura": run_trafilatura,
    "readability": run_readability,
    "summitwatch": run_summitwatch,
}


def headline_key(text: str) -> str:
    """Whitespace-free form used for the exact headline comparison."""
    return re.sub(r"\s+", "", text.replace("\u3000", " "))


def score(name: str, fn: Extractor, pages: dict[str, dict], corpus: Path, verbose: bool) -> dict[str, float]:
    have_hit = have_all = not_absent = not_all = head_ok = 0
    started = time.perf_counter()
    for page, exp in pages.items():
        html = (corpus / page).read_text(encoding="utf-8", errors="replace")
        title, text = fn(html)
        norm = normalise_space(text)
        missing = [s for s in exp["must_have"] if normalise_space(s) not in norm]
        leaked = [s for s in exp["must_not_have"] if normalise_space(s) in norm]
        have_all += len(exp["must_have"])
        have_hit += len(exp["must_have"]) - len(missing)
        not_all += len(exp["must_not_have"])
        not_absent += len(exp["must_not_have"]) - len(leaked)
        title_ok = headline_key(title) == headline_key(exp["title"])
        head_ok += title_ok
        if verbose and (missing or leaked or not title_ok):
            print(f"[{name}] {page}")
            if not title_ok:
                print(f"    headline: got {title!r} want {exp['title']!r}")
            for s in missing:
                print(f"    missing:  {s}")
            for s in leaked:
                print(f"    leaked:   {s}")
    recall = have_hit / have_all if have_all else 0.0
    precision = not_absent / not_all if not_all else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "recall": recall,
        "precision": precision,
        "f1": f1,
        "headline": head_ok / len(pages) if pages else 0.0,
        "seconds": time.perf_counter() - started,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--corpus", type=Path, default=None, help="folder of the pages (default: from the json)"
    )
    parser.add_argument("--expect", type=Path, default=ROOT / "tests" / "fixtures" / "html_eval.json")
    parser.add_argument("--only", choices=sorted(EXTRACTORS), action="append")
    parser.add_argument("--verbose", action="store_true", help="list each page's failures")
    args = parser.parse_args()
    spec = json.loads(args.expect.read_text(encoding="utf-8"))
    corpus = args.corpus or (ROOT / spec["corpus"]).resolve()
    if not corpus.is_dir():
        print(f"corpus not found: {corpus}", file=sys.stderr)
        return 2
    pages = spec["pages"]
    names = args.only or list(EXTRACTORS)
    print(
        f"{len(pages)} pages, {sum(len(p['must_have']) for p in pages.values())} must-have, "
        f"{sum(len(p['must_not_have']) for p in pages.values())} must-not-have snippets ({corpus})"
    )
    print(f"{'extractor':<12} {'recall':>7} {'precision':>9} {'F1':>6} {'headline':>9} {'s/page':>7}")
    for name in names:
        r = score(name, EXTRACTORS[name], pages, corpus, args.verbose)
        print(
            f"{name:<12} {r['recall']:7.3f} {r['precision']:9.3f} {r['f1']:6.3f} {r['headline']:9.1%} "
            f"{r['seconds'] / len(pages):7.3f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
