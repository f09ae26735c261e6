"""The listing filters of the API and the pages, declared once, as FastAPI dependencies.

Why: every route that lists articles or timeline entries used to repeat the same seven filter
parameters and build :class:`~summitwatch.store.query.filters.Filters` itself, so a filter added to
one interface was missing from the other. A route now takes one parameter, e.g.
``f: ApiArticleFilters``, and FastAPI reads the query string into a ``Filters``.

Both interfaces read the same names with the validation of :mod:`summitwatch.web.params`; they
differ only where a JSON client and an HTML form differ, so each listing has two readings:

- ``Api...`` (``/api/*``): typed parameters that appear in the OpenAPI schema; a bad date, an
  over-long text or an unknown modality/status is FastAPI's JSON 422.
- ``Page...`` (the HTML pages): form values, where an empty field means "no filter" and text is
  cut to ``MAX_TEXT``; a bad date is ``HTTPException(422)``, rendered as the error page.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from summitwatch.store.query.filters import Filters
from summitwatch.web.params import Since, Text, Until, opt

__all__ = [
    "MODALITY",
    "STATUS",
    "ApiArticleFilters",
    "ApiTimelineFilters",
    "PageArticleFilters",
    "PageTimelineFilters",
    "api_article_filters",
    "api_timeline_filters",
    "page_article_filters",
    "page_timeline_filters",
]

#: The values ``modality`` and ``status`` may take (the API refuses others with a 422).
MODALITY = r"^(in_person|phone|video)$"
STATUS = r"^(held|planned|cancelled)$"


# --------------------------------------------------------------------------- the API
def api_article_filters(
    outlet: Text = None,
    since: Since = None,
    until: Until = None,
    person: Text = None,
    topic: Text = None,
    has_engagement: bool = False,
) -> Filters:
    """An article listing's filters from ``/api`` query parameters (validated by FastAPI)."""
    return Filters(since=since, until=until, outlet=outlet, person=person, topic=topic, has_engagement=has_engagement)


def api_timeline_filters(
    since: Since = None,
    until: Until = None,
    person: Text = None,
    modality: Annotated[str | None, Query(pattern=MODALITY)] = None,
    status: Annotated[str | None, Query(pattern=STATUS)] = None,
    topic: Text = None,
    outlet: Text = None,
) -> Filters:
    """A timeline listing's filters from ``/api`` query parameters (validated by FastAPI)."""
    return Filters(
        since=since, until=until, outlet=outlet, person=person, topic=topic, modality=modality, status=status
    )


ApiArticleFilters = Annotated[Filters, Depends(api_article_filters)]
ApiTimelineFilters = Annotated[Filters, Depends(api_timeline_filters)]


# --------------------------------------------------------------------------- the pages (form values)
def page_article_filters(
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    person: str | None = None,
    topic: str | None = None,
    has_engagement: str | None = None,
) -> Filters:
    """An article listing's filters from a page's form values (empty: no filter; bad date: 422)."""
    return Filters(
        outlet=opt(outlet),
        since=opt(since, date=True),
        until=opt(until, date=True),
        person=opt(person),
        topic=opt(topic),
        has_engagement=bool(opt(has_engagement)),
    )


def page_timeline_filters(
    person: str | None = None,
    topic: str | None = None,
    modality: str | None = None,
    status: str | None = None,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> Filters:
    """The timeline page's filters from its form values (empty: no filter; bad date: 422)."""
    return Filters(
        since=opt(since, date=True),
        until=opt(until, date=True),
        person=opt(person),
        modality=opt(modality),
        status=opt(status),
        topic=opt(topic),
        outlet=opt(outlet),
    )


PageArticleFilters = Annotated[Filters, Depends(page_article_filters)]
PageTimelineFilters = Annotated[Filters, Depends(page_timeline_filters)]
