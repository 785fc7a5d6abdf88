"""The inquiry list's pages: counted exactly up to ten thousand, "more than" beyond."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

# Counting a quarter of a million rows reads every one of them, on every page of the list;
# counting to here costs the same whatever the table's size, and no one pages further.
COUNT_UP_TO = 10_000


class InquiryPaginator(Paginator):
    """Counts the rows up to COUNT_UP_TO, and one more: `is_capped` when there are more (the
    list then says "More than 10,000"), in one query whatever the size."""

    count_up_to = COUNT_UP_TO
    is_capped = False

    @cached_property
    def count(self):
        counted = self.object_list.order_by()[: COUNT_UP_TO + 1].count()
        self.is_capped = counted > COUNT_UP_TO
        return counted
