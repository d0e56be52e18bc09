"""The listings' union query (website.cards.card_page) on PostgreSQL: same order, same
pages, and a query count that does not grow."""

import pytest

from .test_pages import (
    test_listings_keep_a_constant_query_count,
    test_listings_show_a_page_of_cards_with_a_link_to_the_next,
    test_the_overview_sorts_in_the_database_as_the_cards_would,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

__all__ = [
    "test_listings_keep_a_constant_query_count",
    "test_listings_show_a_page_of_cards_with_a_link_to_the_next",
    "test_the_overview_sorts_in_the_database_as_the_cards_would",
]
