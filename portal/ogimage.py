"""Open Graph cards: a page's title on the college's card, drawn by the server as a PNG.

A page names its card by a signed token of its title (`card_path`), so the address says
everything the picture needs, nobody can have the server draw text of their choosing, and
the same title always gives the same address (browsers, CDNs and social networks keep it).
The PNG is drawn once and kept in the shared cache (`card_png`); later requests only copy
bytes. The font is the one Pillow ships (Aileron, SIL Open Font License), so no system
font package is needed.
"""

import hashlib
import html
import io
import logging

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from PIL import Image, ImageDraw, ImageFont

logger = logging.getLogger(__name__)

WIDTH, HEIGHT = 1200, 630
# Bump when the drawing changes: cached cards of the old design are then drawn again.
DESIGN_VERSION = 1
_SALT = "portal.og-image"
_CACHE_SECONDS = 30 * 24 * 60 * 60
MAX_TITLE_CHARS = 160

TEAL = (11, 85, 99)
TEAL_DARK = (7, 59, 69)
TEAL_LIGHT = (230, 241, 243)
AMBER = (242, 177, 52)
WHITE = (255, 255, 255)


def card_title(title: str, institution_name: str | None = None) -> str:
    """The text a card shows: the page's title without markup, entities or the
    " | College name" suffix some titles carry, cut to a length a card can hold."""
    institution_name = institution_name or settings.INSTITUTION_NAME
    text = " ".join(html.unescape(title).split())
    suffix = f" | {institution_name}"
    if text.endswith(suffix) and len(text) > len(suffix):
        text = text[: -len(suffix)]
    return text[:MAX_TITLE_CHARS] or institution_name


def card_token(title: str) -> str:
    # A plain Signer, not signing.dumps: that one stamps the time, so the same title would
    # get a new address every second and a page's ETag would change between two renders.
    return signing.Signer(salt=_SALT).sign_object(title, compress=True)


def title_from_token(token: str) -> str:
    """The title a token was made for; raises signing.BadSignature for any other string."""
    title = signing.Signer(salt=_SALT).unsign_object(token)
    if not isinstance(title, str):
        raise signing.BadSignature("not a title")
    return title


def card_path(title: str) -> str:
    """The address of the card for a page titled `title` (as the page shows it)."""
    return reverse("og-image", kwargs={"token": card_token(card_title(title))})


def card_png(title: str) -> bytes:
    """The card as PNG bytes: from the shared cache, drawn the first time it is asked for."""
    key = "og-image:{}:{}".format(
        DESIGN_VERSION,
        hashlib.sha256(f"{settings.INSTITUTION_NAME}\n{title}".encode()).hexdigest(),
    )
    try:
        png = cache.get(key)
    except Exception:  # the shared cache down: draw it, as a page would be rendered
        logger.exception("Open Graph card cache unavailable")
        png = None
    if png is None:
        png = draw_card(title, settings.INSTITUTION_NAME)
        try:
            cache.set(key, png, _CACHE_SECONDS)
        except Exception:
            logger.exception("Could not keep the Open Graph card in the cache")
    return png


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)


def _wrap(draw, text: str, font, width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def _fit_title(draw, text: str, width: int, max_lines: int = 4):
    """The largest font size (from 76 px down) at which the title fits in `max_lines`."""
    for size in range(76, 39, -4):
        font = _font(size)
        lines = _wrap(draw, text, font, width)
        if len(lines) <= max_lines and all(
            draw.textlength(line, font=font) <= width for line in lines
        ):
            return font, size, lines
    lines = _wrap(draw, text, font, width)[:max_lines]
    while draw.textlength(lines[-1] + "…", font=font) > width and " " in lines[-1]:
        lines[-1] = lines[-1].rsplit(" ", 1)[0]
    lines[-1] += "…"
    return font, size, lines


def _draw_mark(draw, x: int, y: int, size: int) -> None:
    """The college's mark, as in static/img/logo.svg: a cross on a rounded square."""
    draw.rounded_rectangle((x, y, x + size, y + size), radius=size // 5, fill=WHITE)
    unit = size / 32
    arm = 6 * unit
    cx, cy = x + size / 2, y + size / 2
    draw.rectangle((cx - arm / 2 - 0.5, y + 7 * unit, cx + arm / 2, y + 25 * unit), fill=TEAL)
    draw.rectangle((x + 7 * unit, cy - arm / 2 - 0.5, x + 25 * unit, cy + arm / 2), fill=TEAL)
    draw.rectangle((x + 22 * unit, y + 22 * unit, x + 27 * unit, y + 27 * unit), fill=AMBER)


def draw_card(title: str, institution_name: str) -> bytes:
    """Draw the card: the college's mark and name, the title large, an amber rule."""
    image = Image.new("RGB", (WIDTH, HEIGHT), TEAL)
    draw = ImageDraw.Draw(image)
    # A darker band on the right, as the site's hero fades to the darker teal.
    draw.polygon([(860, 0), (WIDTH, 0), (WIDTH, HEIGHT), (700, HEIGHT)], fill=TEAL_DARK)
    margin = 80
    _draw_mark(draw, margin, 64, 72)
    name_font = _font(38)
    draw.text((margin + 96, 100), institution_name, font=name_font, fill=WHITE, anchor="lm")
    draw.rectangle((margin, 176, margin + 96, 184), fill=AMBER)

    font, size, lines = _fit_title(draw, title, WIDTH - 2 * margin)
    line_height = round(size * 1.2)
    # Centred in the space between the rule and the tagline.
    top = 205 + (320 - len(lines) * line_height) // 2
    for number, line in enumerate(lines):
        draw.text(
            (margin, top + number * line_height),
            line,
            font=font,
            fill=WHITE,
            stroke_width=max(1, size // 40),
            stroke_fill=WHITE,
        )
    tagline_font = _font(30)
    draw.text(
        (margin, HEIGHT - 42),
        "Healthcare career training",
        font=tagline_font,
        fill=TEAL_LIGHT,
        anchor="ls",
    )
    draw.rectangle((0, HEIGHT - 16, WIDTH, HEIGHT), fill=AMBER)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
