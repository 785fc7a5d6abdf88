"""Where a request-info submission came from."""

import dataclasses


@dataclasses.dataclass(frozen=True)
class Attribution:
    """Where a request-info submission came from, kept in the Inquiry fields of the same
    names: the page of this site the form was sent from, an outside referrer, the campaign."""

    source_page: str = ""
    referrer: str = ""
    utm_source: str = ""
    utm_medium: str = ""
    utm_campaign: str = ""


# The attribution fields, for the form, the capture service and the admin alike.
ATTRIBUTION_FIELDS = tuple(field.name for field in dataclasses.fields(Attribution))
