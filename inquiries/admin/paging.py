"""The inquiry list's pages: counted exactly up to ten thousand, "more than" beyond."""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

# Counting a quarter of a million rows reads every one of them, on every page of the list;
# counting to here costs the same whatever the table's size, and no one pages further.
COUNT_UP_TO = 10_000


class InquiryPaginator(Paginator):
    """Counts the rows up to COUNT_UP_TO, and one more: `is_capped` when there are more (the
    list then says "More than 10,000"), in one query whatever the size."""

    count_up_to = COUNT_UP_TO
    is_capped = False

    def page(self, number):
        """The page's rows, picked by id first: the ids sorted and cut from an index alone
        where one covers the filters and the order (a representative's year holds tens of
        thousands of rows), then only those rows read, in one query."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        if not isinstance(rows, QuerySet) or rows.query.annotations:
            return self._get_page(rows[bottom:top], number, self)
        # The outer query names the rows by id alone (repeating the filters there would
        # have the database weigh them again, over the whole table).
        page_rows = rows.model._default_manager.filter(pk__in=rows.values("pk")[bottom:top])
        page_rows.query.select_related = rows.query.select_related
        page_rows = page_rows.order_by(*rows.query.order_by) if rows.query.order_by else page_rows
        return self._get_page(page_rows, number, self)

    @cached_property
    def count(self):
        counted = self.object_list.order_by()[: COUNT_UP_TO + 1].count()
        self.is_capped = counted > COUNT_UP_TO
        return counted
