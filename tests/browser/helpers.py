from axe_playwright_python.sync_playwright import Axe

_axe = Axe()


def assert_no_axe_violations(page):
    """axe-core on the page as it is now: zero violations of any impact."""
    results = _axe.run(page)
    assert results.violations_count == 0, results.generate_report()


def assert_no_horizontal_scroll(page):
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
