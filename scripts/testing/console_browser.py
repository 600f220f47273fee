#!/usr/bin/env python3
"""Browser test of the web console of `escalate serve`, in headless Chromium driven by Selenium. Loopback only;
bounded in time (at most 4 minutes, usually well under one).

Installs what it needs when missing: Debian's chromium and chromium-driver (apt-get, when root) and Selenium (pip).
Starts `escalate serve` on a temporary folder and a free port, then: a wrong token is refused; sign in; an incident
triggered through the API appears on the incidents page without a reload (server-sent events), its title's markup
shown as text; open it, press Acknowledge and see the timeline say who acknowledged; a resolve through the API shows
on the open incident page live; the policy page shows the graph; a form post without the CSRF token and another
organisation's incident are refused; the rehearse page (from the policy page's link) runs a rehearsal from its form
and shows the timeline, and a Monte Carlo run draws its chart; a 360 px wide window has no horizontal scroll on every
page; Tab reaches the skip link first; the browser log has no errors; sign out; sign in with a one-time
`escalate console-link` link (used twice: refused); the lint diagnostics; the coverage grid (a gap cell, a name, no
page scroll at 360 px); with a tab open, serve stops promptly on SIGTERM. Then `escalate simulate --format html`
writes the export, opened at 480 and 360 px: no time cell runs into the next row, no bar crosses a heading, nothing
is wider than the window (the same layout checks as the console's timeline). Screenshots at 360 and 1,400 px go to
out/.

Usage: scripts/testing/console_browser.py .build/debug/escalate [--out out]
"""
import argparse, json, os, shutil, signal, subprocess, sys, tempfile, time, urllib.error, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_checks import Checks, Failure, free_port  # shared with the other end-to-end scripts

TOKEN, OTHER_TOKEN = "web-token-0123456789", "other-token-0123456789"

POLICY = """
organisation:
  id: {org}
  name: {name}
  timezone: UTC
  calendars:
    office:
      hours: [{{ days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00" }}]
contacts:
  oncall: {{ name: On call, addresses: {{ log: oncall }} }}
  backup: {{ name: Backup person, addresses: {{ log: backup }} }}
schedules:
  day-rota:
    name: Day rota
    rotation: {{ members: [oncall, backup], shift: 1d, start: 2026-01-05T09:00, during: office }}
channels:
  sink: {{ plugin: file, address: log, settings: {{ path: "{sink}" }} }}
templates:
  page: {{ body: "{{{{ incident.title }}}}" }}
policies:
  alerts:
    name: Alerts
    outcomes: [fixed, false-alarm]
    fields:
      severity: {{ type: enum, values: [low, high], description: How bad it is }}
      service: {{ type: string, description: The service that is down }}
    layers:
      - {{ id: first, notify: [{{ contact: oncall }}], via: [sink], template: page, timeout: 30m, tasks: [{{ title: Check the dashboard }}] }}
      - {{ id: second-escalation-layer-for-when-nobody-answers-the-first, notify: [{{ contact: backup }}], via: [sink], template: page, timeout: 30m }}
  office-hours:
    name: Office hours
    layers:
      - {{ id: rota, notify: [{{ schedule: day-rota }}], via: [sink], template: page }}
"""


def ensure_tools():
    """Chromium, its driver and Selenium, installed when missing (apt-get needs root)."""
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        if os.geteuid() != 0:
            sys.exit("console browser: chromium and chromedriver are missing; install Debian's chromium and chromium-driver")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        if subprocess.run(["apt-get", "install", "-y", "-q", "chromium", "chromium-driver"], env=env).returncode != 0:
            subprocess.run(["apt-get", "update", "-q"], env=env, check=True)
            subprocess.run(["apt-get", "install", "-y", "-q", "chromium", "chromium-driver"], env=env, check=True)
    try:
        import selenium  # noqa: F401
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "selenium"], check=True)


def call(port, method, path, body=None, token=TOKEN):
    """(status, parsed JSON) of an API request."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=data, method=method,
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(req, timeout=5) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, {}


def wait_replaced(driver, element, seconds=10):
    """Waits until `element` has left the page (a form posted, the next page loaded). Selenium's `staleness_of` counts
    only a stale reference as gone; while the page is being replaced Chromium may answer instead that the node "does not
    belong to the document", which is the same fact, and `staleness_of` raised it as an error."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    def gone(_):
        try:
            element.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return True
            raise

    WebDriverWait(driver, seconds).until(gone)


def wait_for(predicate, seconds, interval=0.2):
    deadline = time.time() + seconds
    while True:
        try:
            value = predicate()
        except Exception:  # a page being replaced under us: try again
            value = None
        if value or time.time() > deadline:
            return value
        time.sleep(interval)


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1000"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.set_page_load_timeout(20)
    return driver


def errors_in(driver):
    """The browser log's errors since the last call (reading the log empties it)."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def set_width(driver, width):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 500})


def no_horizontal_scroll(driver):
    return driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth && document.body.scrollWidth <= window.innerWidth")


def coverage_checks(checks, driver, base, out, binary, db):
    """Signs in with a one-time link from `escalate console-link`, then the lint diagnostics, the coverage grid (a gap
    cell and a name, no page scroll at 360 px, the grid scrolling in its own box) and who is on call now."""
    from selenium.webdriver.common.by import By

    made = subprocess.run([binary, "console-link", "--organisation", "web", "--base-url", base, "--db", db, "--valid", "10m"],
                          capture_output=True, text=True, timeout=20)
    url = made.stdout.strip()
    checks.require(made.returncode == 0 and url.startswith(f"{base}/console/link?token="), f"escalate console-link prints a link ({made.stderr.strip()[:200]})")
    driver.get(url)
    checks.check("Sign in to web" in driver.page_source, "opening the link shows a confirmation page")
    checks.check(driver.get_cookie("escalate_console") is None, "opening the link alone signs nobody in")
    driver.find_element(By.ID, "name").send_keys("Linda")
    button = driver.find_element(By.ID, "use-link")
    button.click()
    wait_replaced(driver, button)
    checks.require(wait_for(lambda: driver.current_url.endswith("/console/incidents"), 10), f"the link's button signs in (at {driver.current_url})")
    checks.check("Linda" in driver.find_element(By.CSS_SELECTOR, "header .who").text, "the session has the name given on the link's page")
    driver.delete_cookie("escalate_console")
    driver.get(url)
    checks.check("already been used" in driver.page_source, "a link used once is refused the second time")
    errors_in(driver)  # the 410 just asked for is logged by the browser

    driver.get(url.replace("token=", "token=x"))
    checks.check("incomplete" in driver.page_source or "not valid" in driver.page_source, "an altered link is refused with a page that says so")
    errors_in(driver)  # the 400 just asked for is logged by the browser
    made = subprocess.run([binary, "console-link", "--organisation", "web", "--base-url", base, "--db", db], capture_output=True, text=True, timeout=20)
    driver.get(made.stdout.strip())
    button = driver.find_element(By.ID, "use-link")
    button.click()
    wait_replaced(driver, button)

    driver.get(f"{base}/console/policies")
    checks.check("coverage_gap" in driver.page_source and "organisation.yaml:" in driver.page_source, "the policies page shows lint's coverage_gap warning at organisation.yaml:LINE:COL")
    checks.check("/tmp/" not in driver.page_source, "the diagnostics show no server path")
    driver.get(f"{base}/console/policies/office-hours")
    driver.find_element(By.ID, "coverage-link").click()
    checks.require(wait_for(lambda: driver.find_elements(By.ID, "coverage-grid"), 10), "the policy page links to its coverage grid")
    gaps = driver.find_elements(By.CSS_SELECTOR, "#coverage-grid td.gap")
    checks.check(gaps and "GAP" in gaps[0].text.upper(), f"the grid marks a gap with text ({len(gaps)} gap cells)")
    red = gaps and driver.execute_script("return getComputedStyle(arguments[0]).backgroundColor;", gaps[0])
    checks.check(red == "rgb(253, 236, 234)", f"a gap cell is red ({red})")
    grid = driver.find_element(By.ID, "coverage-grid").text
    checks.check("On call" in grid and "Backup person" in grid, "the grid names who the rota reaches")
    checks.check(len(driver.find_elements(By.CSS_SELECTOR, "#coverage-grid thead th[scope=col]")) == 8, "the grid has a time column and seven days")
    on_call = driver.find_element(By.ID, "on-call").text
    checks.check("Day rota" in on_call, f"on call now lists the policy's schedule ({on_call[:120]!r})")
    driver.execute_script("document.getElementById('grid-heading').scrollIntoView();")
    driver.save_screenshot(os.path.join(out, "coverage-1400.png"))
    driver.find_element(By.CSS_SELECTOR, "nav[aria-label=Weeks] a[rel=next]").click()
    checks.check(wait_for(lambda: "week=" in driver.current_url and driver.find_elements(By.ID, "coverage-grid"), 10), "the next week opens")
    driver.get(f"{base}/console/on-call")
    checks.check("Day rota" in driver.find_element(By.ID, "on-call").text, "the on-call page lists the schedules")
    checks.check(len(driver.find_elements(By.CSS_SELECTOR, "li.nobody-stretch")) >= 7, "the on-call page's week shows, in words, when nobody is on call")
    driver.save_screenshot(os.path.join(out, "on-call-1400.png"))

    set_width(driver, 360)
    driver.get(f"{base}/console/policies/office-hours/coverage")
    checks.check(no_horizontal_scroll(driver), "coverage: no horizontal page scroll at 360 px")
    scrolls = driver.execute_script("var box = document.querySelector('.grid-scroll'); return box.scrollWidth > box.clientWidth && box.clientWidth <= 360;")
    checks.check(scrolls, "coverage: at 360 px the grid scrolls inside its own box")
    driver.execute_script("document.getElementById('grid-heading').scrollIntoView();")
    driver.save_screenshot(os.path.join(out, "coverage-360.png"))
    driver.get(f"{base}/console/on-call")
    checks.check(no_horizontal_scroll(driver), "on call: no horizontal page scroll at 360 px")
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    errors = errors_in(driver)
    checks.check(not errors, f"the browser log has no errors on the coverage pages ({errors[:3]})")
    button = driver.find_element(By.CSS_SELECTOR, "form[action='/console/sign-out'] button")
    button.click()
    wait_replaced(driver, button)


# Layout problems of the timeline list on the current page: a time cell running past its row or into the next, the
# progress bar crossing a heading, an element wider than the window, a horizontal scroll.
LAYOUT_PROBLEMS = """
var problems = [];
var items = Array.prototype.slice.call(document.querySelectorAll('li.tl-entry'));
function meet(a, b) { return a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5; }
items.forEach(function (li, i) {
  var row = li.getBoundingClientRect(), when = li.querySelector('.tl-when').getBoundingClientRect();
  if (when.bottom > row.bottom + 0.5) { problems.push('row ' + i + ': the time cell runs past its row'); }
  if (i + 1 < items.length && when.bottom > items[i + 1].getBoundingClientRect().top + 0.5) { problems.push('row ' + i + ': the time cell overlaps the next row'); }
  var bar = li.querySelector('.tl-at'), head = li.querySelector('.tl-head');
  if (bar && head && meet(bar.getBoundingClientRect(), head.getBoundingClientRect())) { problems.push('row ' + i + ': the bar crosses the heading'); }
  var what = li.querySelector('.tl-what').getBoundingClientRect();
  if (meet(when, what)) { problems.push('row ' + i + ': the time cell overlaps the text'); }
});
var width = document.documentElement.clientWidth;
Array.prototype.slice.call(document.body.querySelectorAll('*')).forEach(function (element) {
  var box = element.getBoundingClientRect();
  if (box.width > 0 && box.right > width + 0.5) { problems.push(element.tagName + '.' + (element.getAttribute('class') || '') + ' reaches ' + Math.round(box.right) + ' px of ' + width); }
});
if (document.documentElement.scrollWidth > window.innerWidth) { problems.push('horizontal scroll: ' + document.documentElement.scrollWidth + ' px'); }
return [items.length, problems.slice(0, 5)];
"""


def full_screenshot(driver, path):
    """A screenshot of the whole page, not only the window."""
    import base64
    height = driver.execute_script("return Math.ceil(document.documentElement.scrollHeight);")
    width = driver.execute_script("return document.documentElement.clientWidth;")
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True, "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}})
    with open(path, "wb") as file:
        file.write(base64.b64decode(shot["data"]))


def rehearse(checks, driver, base, out, press, width):
    """On the rehearse page: fill the form, rehearse and see the timeline; run Monte Carlo and see the chart."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    driver.get(f"{base}/console/policies/alerts")
    press(driver.find_element(By.ID, "rehearse-link"))
    checks.check(driver.find_element(By.TAG_NAME, "h1").text == "Rehearse: Alerts", f"{width} px: the policy page links to its rehearse page")
    checks.check(len(driver.find_elements(By.CSS_SELECTOR, "#field-severity option")) == 3, f"{width} px: the form offers the enum field's values")
    Select(driver.find_element(By.ID, "field-severity")).select_by_value("high")
    driver.find_element(By.ID, "field-service").send_keys("checkout <b>api</b>")
    driver.execute_script("arguments[0].value = '2026-03-09T10:00';", driver.find_element(By.ID, "start"))
    until = driver.find_element(By.ID, "until")
    until.clear()
    until.send_keys("2h")
    driver.find_element(By.ID, "script").send_keys("backup acks 4m after notified")
    press(driver.find_element(By.ID, "rehearse"))
    timeline = wait_for(lambda: driver.find_element(By.ID, "rehearsal-timeline"), 10)
    checks.require(timeline is not None, f"{width} px: the rehearsal shows a timeline")
    result = driver.find_element(By.CSS_SELECTOR, "#result .tl-result").text
    checks.check("acknowledged by backup after 34m" in result, f"{width} px: the timeline ends acknowledged by backup after 34m ({result!r})")
    checks.check(len(driver.find_elements(By.CSS_SELECTOR, "#rehearsal-timeline li.tl-entry")) >= 4, f"{width} px: the timeline lists the entries")
    rows, problems = driver.execute_script(LAYOUT_PROBLEMS)
    checks.check(rows >= 4 and not problems, f"{width} px: the rehearsal timeline lays out without overlaps or overflow ({problems})")
    checks.check(no_horizontal_scroll(driver), f"{width} px: no horizontal scroll on the rehearse page with a timeline")
    full_screenshot(driver, os.path.join(out, f"rehearse-{width}.png"))

    # Monte Carlo: without the script, with answer probabilities.
    driver.find_element(By.ID, "script").clear()
    answers = driver.find_element(By.ID, "answers")
    answers.clear()
    answers.send_keys("oncall=0.4 within 45m\nbackup=0.6 within 20m")
    runs = driver.find_element(By.ID, "runs")
    runs.clear()
    runs.send_keys("500")
    press(driver.find_element(By.ID, "run-monte-carlo"))
    chart = wait_for(lambda: driver.find_element(By.CSS_SELECTOR, "#mc-chart svg"), 20)
    checks.require(chart is not None, f"{width} px: Monte Carlo draws a chart")
    bars = driver.find_elements(By.CSS_SELECTOR, "#mc-chart rect.bar")
    checks.check(len(bars) >= 2 and bars[0].size["height"] >= 0, f"{width} px: the chart has bars ({len(bars)})")
    figures = driver.find_element(By.ID, "mc-figures").text
    checks.check("p90" in figures and "Never acknowledged" in figures, f"{width} px: the figures are shown ({figures!r})")
    described = driver.execute_script("return document.getElementById('mc-chart-desc').textContent;")
    checks.check("runs acknowledged" in described, f"{width} px: the chart has a description ({described!r})")
    checks.check(no_horizontal_scroll(driver), f"{width} px: no horizontal scroll with the Monte Carlo chart")
    full_screenshot(driver, os.path.join(out, f"rehearse-monte-carlo-{width}.png"))


def check_export(checks, driver, binary, root, out):
    """The simulation's HTML export at 480 and 360 px: no overlaps, nothing wider than the window."""
    policies = os.path.join(root, "policies", "web")
    result = subprocess.run(
        [binary, "simulate", policies, "--policy", "alerts", "--field", "severity=high", "--start", "2026-03-09T10:00", "--until", "2h",
         "--respond", "backup acks 4m after notified", "--format", "html"], capture_output=True, text=True, timeout=60)
    checks.require(result.returncode == 0 and "<ol class=\"tl\"" in result.stdout, f"simulate --format html writes the shared timeline ({result.stderr[-300:]!r})")
    path = os.path.join(root, "simulation.html")
    with open(path, "w") as file:
        file.write(result.stdout)
    for width in (480, 360):
        set_width(driver, width)
        driver.get("file://" + path)
        rows, problems = driver.execute_script(LAYOUT_PROBLEMS)
        checks.check(rows >= 4 and not problems, f"the HTML export at {width} px: {rows} rows, no overlaps or overflow ({problems})")
        driver.save_screenshot(os.path.join(out, f"simulation-export-{width}.png"))
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def run(checks, driver, base, port, out, server, binary, db):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    def press(element):
        """Clicks a button that submits a form (or a link), and waits for the next page to have loaded: a mark left
        on the old page is gone. (Waiting for the element to go stale could fail mid-navigation with a WebDriver error.)"""
        name = element.get_attribute("id") or element.text
        driver.execute_script("window.__leaving = true;")
        element.click()
        loaded = wait_for(lambda: driver.execute_script("return window.__leaving !== true && document.readyState === 'complete';"), 15)
        checks.require(loaded, f"a new page within 15 s of pressing {name!r}")

    def sign_in(token, name=""):
        driver.get(f"{base}/console/sign-in")
        driver.find_element(By.ID, "token").send_keys(token)
        if name:
            driver.find_element(By.ID, "name").send_keys(name)
        press(driver.find_element(By.CSS_SELECTOR, "form[action='/console/sign-in'] button[type=submit]"))

    # A wrong token: refused with a message, no session.
    sign_in("not-a-token")
    checks.check("That token is not valid" in driver.page_source, "a wrong token is refused with a message")
    checks.check(driver.current_url.endswith("/console/sign-in"), "a wrong token stays on the sign-in page")
    errors_in(driver)  # the 401 of the refused sign-in is logged by the browser; expected, so dropped

    # Keyboard: the first Tab reaches the skip link.
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    checks.check(driver.switch_to.active_element.get_attribute("class") == "skip", "the first Tab focuses the 'Skip to the content' link")

    sign_in(TOKEN, "Casey")
    checks.require(driver.current_url.endswith("/console/incidents"), f"signing in leads to the incidents page (at {driver.current_url})")
    checks.check("web" in driver.find_element(By.TAG_NAME, "h1").text, "the incidents page names the organisation")
    cookie = driver.get_cookie("escalate_console") or {}
    checks.check(cookie.get("httpOnly") is True and cookie.get("sameSite") == "Strict", f"the session cookie is HttpOnly and SameSite=Strict ({cookie.get('httpOnly')}, {cookie.get('sameSite')})")

    # Live: an incident triggered through the API appears without a reload.
    wait_for(lambda: driver.find_element(By.ID, "live-status").text == "Live", 10)
    driver.execute_script("window.__notReloaded = true;")
    title = "Checkout <b>down</b> & slow"
    status, body = call(port, "POST", "/v1/incidents", {"title": title, "policy": "alerts"})
    checks.require(status == 201, f"the API trigger is accepted (got {status})")
    incident = body["id"]
    link = wait_for(lambda: driver.find_element(By.CSS_SELECTOR, f"a[href='/console/incidents/{incident}']"), 15)
    checks.require(link is not None, "the triggered incident appears on the incidents page within 15 s")
    checks.check(driver.execute_script("return window.__notReloaded === true;"), "it appeared without a page reload")
    checks.check(link.text == title, f"the title's markup is shown as text ({link.text!r})")
    checks.check(len(driver.find_elements(By.CSS_SELECTOR, "#incidents b")) == 0, "no <b> element was made from the title")
    driver.save_screenshot(os.path.join(out, "console-incidents-1400.png"))

    # The incident page: timeline, tasks, Acknowledge.
    press(link)
    wait_for(lambda: driver.find_element(By.ID, "timeline"), 10)
    checks.check("Check the dashboard" in driver.page_source, "the incident page lists the policy's task")
    checks.check(len(driver.find_elements(By.CSS_SELECTOR, "#outcome option")) == 2, "resolve offers the policy's two outcomes")
    press(driver.find_element(By.ID, "acknowledge"))
    acknowledged = wait_for(lambda: "acknowledged" in driver.find_element(By.CSS_SELECTOR, ".facts .status").text, 10)
    checks.check(acknowledged, "after Acknowledge the incident shows as acknowledged")
    timeline = driver.find_element(By.ID, "timeline").text
    checks.check("Casey via console" in timeline, f"the timeline says who acknowledged, via the console ({timeline[-300:]!r})")
    checks.check(len(driver.find_elements(By.ID, "acknowledge")) == 0, "the Acknowledge button is gone once acknowledged")
    _, detail = call(port, "GET", f"/v1/incidents/{incident}")
    checks.check(detail.get("incident", {}).get("acknowledged_by") == "Casey via console", "the API shows the console's acknowledgement")
    driver.save_screenshot(os.path.join(out, "console-incident-1400.png"))

    # Live on the incident page: a resolve through the API shows without a reload.
    wait_for(lambda: driver.find_element(By.ID, "live-status").text == "Live", 10)
    driver.execute_script("window.__notReloaded = true;")
    status, _ = call(port, "POST", f"/v1/incidents/{incident}/resolve", {"by": "api-tester", "outcome": "fixed"})
    checks.check(status == 200, f"the API resolve is accepted (got {status})")
    resolved = wait_for(lambda: "resolved" in driver.find_element(By.CSS_SELECTOR, ".facts .status").text, 15)
    checks.check(resolved and driver.execute_script("return window.__notReloaded === true;"), "the resolve shows on the incident page live, without a reload")

    # The policy page: fields and the graph.
    driver.get(f"{base}/console/policies/alerts")
    checks.check(driver.find_element(By.TAG_NAME, "h1").text == "Alerts", "the policy page shows the policy")
    images = driver.find_elements(By.CSS_SELECTOR, ".graph img")
    if shutil.which("dot"):
        drawn = images and wait_for(lambda: driver.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0;", images[0]), 10)
        checks.check(drawn, "the policy's graph is drawn (an SVG by Graphviz)")
    else:
        checks.check("digraph" in driver.page_source, "without Graphviz the policy page shows the graph as DOT")

    explanation = driver.find_elements(By.ID, "explanation")
    checks.check(explanation and "oncall" in explanation[0].text, "the policy page explains who the ladder reaches now")
    driver.save_screenshot(os.path.join(out, "console-policy-1400.png"))

    # Rehearse at 1,400 px, then at 360 px.
    rehearse(checks, driver, base, out, press, 1400)
    set_width(driver, 360)
    rehearse(checks, driver, base, out, press, 360)
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    # 360 px: no horizontal scroll on any page.
    set_width(driver, 360)
    for path in ("/console/incidents", f"/console/incidents/{incident}", "/console/policies/alerts", "/console/policies/alerts/rehearse"):
        driver.get(base + path)
        checks.check(driver.execute_script("return window.innerWidth;") == 360, f"{path}: the window is 360 px wide")
        checks.check(no_horizontal_scroll(driver), f"{path}: no horizontal scroll at 360 px")
    driver.get(f"{base}/console/incidents/{incident}")
    rows, problems = driver.execute_script(LAYOUT_PROBLEMS)
    checks.check(rows >= 3 and not problems, f"the incident's timeline (the shared rendering) lays out at 360 px ({rows} rows; {problems})")
    driver.save_screenshot(os.path.join(out, "console-incident-360.png"))
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    errors = errors_in(driver)
    checks.check(not errors, f"the browser log has no errors ({errors[:3]})")

    # A form post without the CSRF token is refused (posted by script, as a forged form would be).
    status = driver.execute_script(
        "return fetch(arguments[0], {method: 'POST', credentials: 'same-origin', headers: {'Content-Type': 'application/x-www-form-urlencoded'},"
        " body: 'minutes=30'}).then(function (r) { return r.status; });", f"{base}/console/incidents/{incident}/snooze")
    checks.check(status == 403, f"a form post without the CSRF token is refused with 403 (got {status})")
    errors_in(driver)  # the 403 just asked for is logged by the browser

    # Another organisation's incident is not found.
    status, body = call(port, "POST", "/v1/incidents", {"title": "Other's secret"}, token=OTHER_TOKEN)
    checks.check(status == 201, f"the other organisation's trigger is accepted (got {status})")
    driver.get(f"{base}/console/incidents/{body.get('id', 'missing')}")
    checks.check("has no incident" in driver.page_source and "Other's secret" not in driver.page_source, "another organisation's incident is not shown")
    errors_in(driver)  # the 404 just asked for is logged by the browser

    # Sign out.
    press(driver.find_element(By.CSS_SELECTOR, "form[action='/console/sign-out'] button"))
    checks.check(wait_for(lambda: driver.current_url.endswith("/console/sign-in"), 10), "sign-out leads to the sign-in page")
    driver.get(f"{base}/console/incidents")
    checks.check(driver.current_url.endswith("/console/sign-in"), "after sign-out the incidents page asks to sign in")
    errors = errors_in(driver)
    checks.check(not errors, f"the browser log has no errors after sign-out ({errors[:3]})")

    coverage_checks(checks, driver, base, out, binary, db)

    # An open console tab (its event stream) does not hold up a graceful stop.
    sign_in(TOKEN)
    wait_for(lambda: driver.find_element(By.ID, "live-status").text == "Live", 10)
    began = time.time()
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        pass
    took = time.time() - began
    checks.check(server.poll() is not None and took < 5, f"serve stops within 5 s of SIGTERM with a console tab open (took {took:.1f} s)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--out", default="out", help="folder for the screenshots")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        sys.exit(f"console browser: {binary} is not an executable escalate binary (build it first: swift build)")
    signal.signal(signal.SIGALRM, lambda *_: sys.exit("console browser: FAILED: took longer than 240 s"))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("console browser: stopped by SIGTERM"))
    signal.alarm(240)
    ensure_tools()
    os.makedirs(args.out, exist_ok=True)
    root = tempfile.mkdtemp(prefix="escalate-console-browser-")
    for org, name in (("web", "Web"), ("other", "Other")):
        os.makedirs(os.path.join(root, "policies", org))
        with open(os.path.join(root, "policies", org, "organisation.yaml"), "w") as file:
            file.write(POLICY.format(org=org, name=name, sink=os.path.join(root, f"{org}-sink.jsonl")))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    checks = Checks("console browser")
    began = time.time()
    env = dict(os.environ, ESCALATE_TOKENS=f"web={TOKEN},other={OTHER_TOKEN}")
    log = open(os.path.join(root, "serve.log"), "w")
    server = subprocess.Popen(
        [binary, "serve", "--policies", os.path.join(root, "policies"), "--db", os.path.join(root, "db.sqlite"), "--port", str(port)],
        env=env, stdout=log, stderr=log, stdin=subprocess.DEVNULL)
    driver = None
    try:
        def healthy():
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=1) as response:
                    return response.status == 200
            except OSError:
                return server.poll() is not None
        checks.require(wait_for(healthy, 15, 0.1) and server.poll() is None, f"the server starts within 15 s (see {root}/serve.log)")
        driver = browser()
        run(checks, driver, base, port, args.out, server, binary, os.path.join(root, "db.sqlite"))
        check_export(checks, driver, binary, root, args.out)
    except Failure:
        pass  # counted and printed
    except Exception as error:
        import traceback
        where = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename == os.path.abspath(__file__)][-1]
        checks.check(False, f"stopped on {error!r} {getattr(error, 'msg', '') or ''} at line {where.lineno} ({where.line})")
    finally:
        if driver is not None:
            driver.quit()
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    print(f"console browser: {checks.passed} passed, {checks.failed} failed in {time.time() - began:.1f} s")
    if checks.failed:
        sys.exit(f"console browser: {checks.failed} check(s) failed; the server log is in {root}")
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
