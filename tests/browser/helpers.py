from axe_playwright_python.sync_playwright import Axe

_axe = Axe()

# The password UserFactory gives every staff member it makes.
STAFF_PASSWORD = "correct horse battery staple"  # noqa: S105


def assert_no_axe_violations(page):
    """axe-core on the page as it is now: zero violations of any impact."""
    results = _axe.run(page)
    assert results.violations_count == 0, results.generate_report()


def assert_no_horizontal_scroll(page):
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"


# For each rendered table cell: is its right edge on screen, or inside a box that scrolls
# sideways and is itself on screen? Cells inside a visually hidden box (a table kept for
# screen readers only) are skipped.
_CLIPPED_CELLS_JS = """
() => {
  const viewport = document.documentElement.clientWidth;
  const onScreen = (rect) => rect.left >= -0.5 && rect.right <= viewport + 0.5;
  const describe = (cell) => {
    const table = cell.closest("table");
    const caption = table && table.caption ? table.caption.textContent.trim() : "a table";
    return `${caption}: "${cell.textContent.trim().slice(0, 40)}"`;
  };
  const problems = [];
  for (const cell of document.querySelectorAll("th, td")) {
    if (!cell.getClientRects().length) continue;
    const rect = cell.getBoundingClientRect();
    let scroller = null;
    let hidden = false;
    let clipped = false;
    for (let el = cell.parentElement; el && el !== document.body; el = el.parentElement) {
      const overflow = getComputedStyle(el).overflowX;
      if (overflow === "visible") continue;
      if (el.clientWidth <= 1 || el.clientHeight <= 1) { hidden = true; break; }
      if (scroller) continue;
      if (overflow === "auto" || overflow === "scroll") scroller = el;
      else if (rect.right > el.getBoundingClientRect().right + 0.5) clipped = true;
    }
    if (hidden) continue;
    if (clipped) {
      problems.push(`${describe(cell)} is cut off by its container`);
    } else if (scroller) {
      if (!onScreen(scroller.getBoundingClientRect())) {
        problems.push(`${describe(cell)} scrolls inside a box wider than the screen`);
      }
    } else if (!onScreen(rect)) {
      problems.push(`${describe(cell)} runs off the screen (right edge ${rect.right}px)`);
    }
  }
  return problems;
}
"""


def assert_tables_fit(page):
    """No table column is clipped: every cell can be read on this screen."""
    problems = page.evaluate(_CLIPPED_CELLS_JS)
    assert not problems, "\n".join(problems)


def open_navigation_link(page, name):
    """Follow a link of the main navigation, opening the phone menu first when it is folded."""
    navigation = page.get_by_role("navigation", name="Main")
    link = navigation.get_by_role("link", name=name, exact=True)
    if not link.is_visible():
        navigation.locator("summary", has_text="Menu").click()  # the folded <details> menu
        link.wait_for(state="visible")
    link.click()


def log_in_to_admin(page, base_url, username, password=STAFF_PASSWORD):
    """The real admin login form (so django-axes' backend sees a real request)."""
    page.goto(f"{base_url}/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base_url}/admin/")
