"""Plain HTML article pages: headline, main text, figures, links and page metadata.

Why this module exists: a saved news page is mostly navigation, related links, comment areas and
scripts around a few paragraphs. Maintained extractors find the main text but each fails in its own
way on Chinese news sites: trafilatura keeps the text well but leaks comment areas, "hot news" lists
and editor/copyright lines and often takes a related story's title as the headline; readability-lxml
is cleaner but misses text and headlines more often. This reader combines them with page signals:

1. **Parse like a browser.** The page is parsed with lexbor (HTML5 rules, via selectolax), scripts
   and styles dropped, pathological nesting flattened and huge data tables (more cells than
   ``max_table_cells``) turned into text, one line per row, then handed to lxml. libxml2's own HTML
   parser silently truncates some real pages (a self-closed ``<script/>``, nesting beyond 256
   levels) and loses their article text.
2. **Headline by agreement.** Every short heading-like element of the page is a candidate; the one
   the ``<title>``/``og:title``/JSON-LD headline agree with most (longest common run, site name
   excluded) wins. When the title tag names only a section, the heading nearest above the article
   text wins.
3. **Main text by two extractors and precision filters.** trafilatura's and readability's outputs
   are turned into blocks, each cleaned by the same general filters (text before the headline,
   link-dense lines, furniture lines, and everything from the first "end of article" marker such as
   责任编辑 or 网友评论仅供… on); trafilatura's result is used unless readability found much more
   text. The vocabularies live in ``summitwatch/data/html_extraction.yaml``.

The function is pure (string in, record out) and never raises on bad input: empty or garbage HTML
gives an empty :class:`HtmlDoc`.

The modules, one job each: ``text`` (whitespace and comparison keys), ``rules`` (the compiled
vocabularies), ``tree`` (step 1), ``blocks`` (element trees as blocks), ``extractors`` (the readings
of step 3), ``filters`` (the precision filters), ``headline`` (step 2), ``meta`` (date, language,
author) and ``assemble`` (the order of the steps and the :class:`HtmlDoc`).
"""

from summitwatch.sources.html.assemble import EMPTY_DOC, HtmlDoc, extract_html
from summitwatch.sources.html.rules import HtmlRules, load_rules
from summitwatch.sources.html.text import normalise_space
from summitwatch.sources.html.tree import clean_html, parse_tree

__all__ = ["EMPTY_DOC", "HtmlDoc", "HtmlRules", "clean_html", "extract_html", "load_rules", "normalise_space", "parse_tree"]
