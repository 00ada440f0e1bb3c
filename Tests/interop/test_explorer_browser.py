"""The schema explorer in a real browser (headless Chromium from Debian, driven by selenium):
completion, inline validation before running, the documentation pane, running with a development
token (data, errors with their paths, the receipt), deferred parts and subscription events as they
arrive, history across a reload, keyboard shortcuts,
and that the page reaches nothing but the gateway. Every wait is on something the page shows."""
import json
import os
import shutil
from urllib.parse import urlsplit

import pytest
import requests

URL = os.environ.get("NILECARE_URL")
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not URL or not CHROMEDRIVER, reason="needs a running gateway and chromium-driver")


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1500,950"):
        options.add_argument(argument)
    if shutil.which("chromium"):
        options.binary_location = shutil.which("chromium")
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(20)
    yield driver
    driver.quit()


def wait(browser):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, 20)


def open_explorer(browser):
    """Loads the page and waits until the schema has arrived by introspection."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as conditions

    browser.get(f"{URL}/explorer")
    wait(browser).until(conditions.text_to_be_present_in_element((By.ID, "status"), "types"))
    return browser.find_element(By.CSS_SELECTOR, "#query-editor textarea")


def replace_text(editor, text):
    from selenium.webdriver.common.keys import Keys

    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys(Keys.DELETE)
    editor.send_keys(text)


def choose_token(browser, label):
    """Picks the development token whose label starts with `label` ("clinician", "patient (1)")."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    token = Select(browser.find_element(By.ID, "token"))
    token.select_by_visible_text(next(o.text for o in token.options if o.text.startswith(label)))


def completion_labels(browser):
    from selenium.webdriver.common.by import By

    return [item.get_attribute("data-label") for item in browser.find_elements(By.CSS_SELECTOR, "#query-editor .completions li")]


def test_graphql_get_with_html_accept_serves_the_explorer():
    response = requests.get(f"{URL}/graphql", headers={"Accept": "text/html"}, timeout=5)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/html")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "connect-src 'self'" in policy
    assert "https://" not in response.text and "http://" not in response.text  # self-contained: no CDN
    for script in ("graphql-language.js", "editor.js", "docs.js", "explorer.js"):
        asset = requests.get(f"{URL}/explorer/assets/{script}", timeout=5)
        assert asset.status_code == 200 and asset.headers["Content-Type"].startswith("text/javascript")
    assert requests.get(f"{URL}/explorer/assets/..%2fPackage.swift", timeout=5).status_code == 404


def test_validate_endpoint_reports_errors_with_locations_without_running():
    bad = requests.post(f"{URL}/explorer/validate", json={"query": '{ patient(id: "3") { firstNme } }'}, timeout=5)
    assert bad.status_code == 200
    [error] = bad.json()["errors"]
    assert error["message"].startswith('Cannot query field "firstNme" on type "Patient". Did you mean "firstName"')
    assert error["locations"] == [{"line": 1, "column": 22}]
    syntax = requests.post(f"{URL}/explorer/validate", json={"query": "{ patient(id: "}, timeout=5).json()["errors"]
    assert len(syntax) == 1 and syntax[0]["message"].startswith("Syntax Error") and syntax[0]["locations"]
    assert requests.post(f"{URL}/explorer/validate", json={"query": "{ patients(limit: 1) { id } }"}, timeout=5).json() == {"errors": []}
    malformed = requests.post(f"{URL}/explorer/validate", data=b'{"query": ', headers={"Content-Type": "application/json"}, timeout=5)
    assert malformed.status_code == 400 and malformed.json()["errors"]


def test_typing_offers_schema_fields_and_selecting_one_inserts_it(browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    editor = open_explorer(browser)
    replace_text(editor, "{ pat")
    wait(browser).until(lambda _: {"patient", "patients"} <= set(completion_labels(browser)))
    labels = completion_labels(browser)
    assert all("pat" in label.lower() for label in labels)
    details = {item.get_attribute("data-label"): item.find_element(By.CLASS_NAME, "detail").text
               for item in browser.find_elements(By.CSS_SELECTOR, "#query-editor .completions li")}
    assert details["patients"].startswith("[Patient")  # the field's type beside its name
    browser.find_element(By.CSS_SELECTOR, "#query-editor .completions li[data-label='patients']").click()
    assert editor.get_attribute("value") == "{ patients"
    # Arguments, then an enum or nested fields, complete from the schema too.
    editor.send_keys("(")
    editor.send_keys(Keys.CONTROL, " ")
    wait(browser).until(lambda _: "limit" in completion_labels(browser))
    replace_text(editor, '{ patient(id: "3") { medications { dos')
    wait(browser).until(lambda _: completion_labels(browser)[:1] == ["dosage"])


def test_misspelled_field_is_marked_where_it_is_before_running(browser):
    from selenium.webdriver.common.by import By

    editor = open_explorer(browser)
    replace_text(editor, '{ patient(id: "3") {\nfirstNme }}')  # Enter keeps the indentation, two more after "{"
    # Validation runs shortly after typing stops: wait for the mark on the finished text.
    marks = wait(browser).until(lambda b: [m for m in b.find_elements(By.CSS_SELECTOR, "#query-editor .error-mark") if m.text == "firstNme"] or None)
    assert len(browser.find_elements(By.CSS_SELECTOR, "#query-editor .error-mark")) == 1
    mark = marks[0]
    assert (mark.get_attribute("data-line"), mark.get_attribute("data-column")) == ("2", "3")
    diagnostics = browser.find_element(By.ID, "diagnostics").text
    assert diagnostics.startswith('2:3 Cannot query field "firstNme" on type "Patient". Did you mean "firstName"')
    assert browser.find_element(By.ID, "result-status").text == "Run a query to see its result."  # nothing ran
    replace_text(editor, '{ patient(id: "3") { firstName } }')
    wait(browser).until(lambda b: not b.find_elements(By.CSS_SELECTOR, "#query-editor .error-mark"))


def test_searching_the_docs_for_dosage_finds_medication_dosage(browser):
    from selenium.webdriver.common.by import By

    open_explorer(browser)
    browser.find_element(By.ID, "docs-search").send_keys("dosage")
    result = wait(browser).until(lambda b: next((r for r in b.find_elements(By.CSS_SELECTOR, "#docs-results button") if r.text == "Medication.dosage"), None))
    result.click()
    detail = browser.find_element(By.ID, "docs-detail")
    focused = detail.find_element(By.CSS_SELECTOR, ".doc-field.focus")
    assert focused.text.startswith("dosage: String")
    used_by = [item.text for item in detail.find_elements(By.CSS_SELECTOR, ".used-by li")]
    assert "Patient.medications" in used_by  # where the type is used
    # Arguments with their defaults, from a root field's page.
    browser.find_element(By.XPATH, "//nav[@id='docs-crumbs']//button[text()='Schema']").click()
    browser.find_element(By.XPATH, "//div[@id='docs-detail']//button[text()='Query']").click()
    assert "patients(limit: Int" in browser.find_element(By.ID, "docs-detail").text


def test_running_with_the_clinician_token_shows_data_receipt_and_history_after_reload(browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as conditions

    editor = open_explorer(browser)
    choose_token(browser, "clinician")
    replace_text(editor, '{ patient(id: "3") { id firstName appointments { date } } }')
    editor.send_keys(Keys.CONTROL, Keys.ENTER)  # the shortcut runs
    wait(browser).until(conditions.text_to_be_present_in_element((By.ID, "result-status"), "HTTP 200"))
    result = browser.find_element(By.ID, "result").text
    assert '"firstName":' in result and '"id": "3"' in result
    receipt = json.loads(browser.find_element(By.ID, "receipt").text)
    assert receipt["levels"] == 2 and sum(receipt["cache"].values()) == 2  # two fetches: from the services or the cache
    browser.refresh()
    wait(browser).until(conditions.text_to_be_present_in_element((By.ID, "history"), 'patient(id: "3")'))
    assert 'patient(id: "3")' in browser.find_element(By.CSS_SELECTOR, "#query-editor textarea").get_attribute("value")  # the tab too


def test_deferred_and_streamed_parts_are_shown_as_they_arrive(browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as conditions

    editor = open_explorer(browser)
    choose_token(browser, "clinician")
    replace_text(editor, '{ patients(limit: 3) @stream(initialCount: 1, label: "more") { id ... @defer(label: "meds") { medications { name } } } }')
    editor.send_keys(Keys.CONTROL, Keys.ENTER)
    wait(browser).until(conditions.text_to_be_present_in_element((By.ID, "result-status"), "complete"))
    parts = [item.text for item in browser.find_elements(By.CSS_SELECTOR, "#parts li")]
    assert parts[0] == "initial part"
    assert "more · 2 item(s) at patients" in parts
    assert sum(part.startswith("meds at patients.") for part in parts) == 3, parts
    result = browser.find_element(By.ID, "result").text
    # Every patient, streamed or not, ends up with the medications its deferred part delivered.
    assert result.count('"medications":') == 3 and result.count('"id":') == 3, result


def test_a_subscription_lists_its_events_as_they_happen(browser):
    import subprocess

    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as conditions

    editor = open_explorer(browser)
    choose_token(browser, "clinician")
    replace_text(editor, 'subscription { appointmentChanged(patientId: "9") { id patientId provider { lastName } } }')
    editor.send_keys(Keys.CONTROL, Keys.ENTER)
    wait(browser).until(conditions.text_to_be_present_in_element((By.ID, "result-status"), "subscription open"))
    bearer = subprocess.run([os.environ.get("NILECARE", ".build/debug/nilecare"), "token"], capture_output=True, text=True, check=True).stdout.strip()
    booked = requests.post(f"{URL}/graphql", headers={"Authorization": f"Bearer {bearer}"}, timeout=10, json={
        "query": 'mutation { createAppointment(input: {patientId: "9", providerId: "1", date: "2026-12-03", time: "11:00"}) { id } }'}).json()
    wait(browser).until(conditions.text_to_be_present_in_element((By.ID, "result-status"), "1 event(s)"))
    events = [item.text for item in browser.find_elements(By.CSS_SELECTOR, "#parts li")]
    assert len(events) == 1 and booked["data"]["createAppointment"]["id"] in events[0], events
    assert '"lastName": "Okafor"' in browser.find_element(By.ID, "result").text


def test_errors_are_listed_with_their_paths_and_marked_in_the_result(browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as conditions

    editor = open_explorer(browser)
    choose_token(browser, "patient (1)")
    replace_text(editor, '{ mine: patient(id: "1") { id } other: patient(id: "2") { id } }')
    editor.send_keys(Keys.CONTROL, Keys.ENTER)
    wait(browser).until(conditions.text_to_be_present_in_element((By.ID, "result-status"), "1 error"))
    error = browser.find_element(By.CSS_SELECTOR, "#errors li.error")
    assert "another patient" in error.text and "path other" in error.text and "FORBIDDEN" in error.text
    marked = browser.find_elements(By.CSS_SELECTOR, "#result .at-error")
    assert [m.text for m in marked] == ['"other": null']


def test_shortcuts_prettify_and_complete_and_json_is_checked(browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    editor = open_explorer(browser)
    replace_text(editor, "{patients(limit:2){id firstName}}")
    editor.send_keys(Keys.SHIFT, Keys.CONTROL, "p")
    wait(browser).until(lambda _: editor.get_attribute("value") == "{\n  patients(limit: 2) {\n    id\n    firstName\n  }\n}\n")
    replace_text(editor, "{ patients {\nid")
    editor.send_keys(Keys.ESCAPE, Keys.ENTER, "}")
    assert editor.get_attribute("value") == "{ patients {\n  id\n}"  # Enter indents after "{", "}" moves back
    replace_text(editor, "{ patients { ")
    editor.send_keys(Keys.ESCAPE)
    editor.send_keys(Keys.CONTROL, " ")
    wait(browser).until(lambda _: "firstName" in completion_labels(browser))
    variables = browser.find_element(By.ID, "variables")
    variables.clear()
    variables.send_keys('{"limit": ')
    wait(browser).until(lambda b: b.find_element(By.ID, "variables-error").text.startswith("Variables:"))
    assert variables.get_attribute("aria-invalid") == "true"


def test_the_page_makes_no_request_outside_the_gateway(browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as conditions

    editor = open_explorer(browser)
    replace_text(editor, "{ patients(limit: 1) { id } }")
    browser.find_element(By.ID, "run").click()
    wait(browser).until(conditions.text_to_be_present_in_element((By.ID, "result-status"), "HTTP"))
    browser.find_element(By.ID, "docs-search").send_keys("Patient")
    editor.send_keys(Keys.CONTROL, " ")
    gateway = urlsplit(URL)
    requested = []

    def saw_validation_and_run(_):
        # The log is drained on each read; live validation is sent shortly after typing stops.
        for entry in browser.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent":
                requested.append(message["params"]["request"]["url"])
        return any(url.endswith("/explorer/validate") for url in requested) and any(url.endswith("/graphql") for url in requested)

    wait(browser).until(saw_validation_and_run)
    outside = [url for url in requested if not url.startswith("data:") and urlsplit(url).netloc != gateway.netloc]
    assert outside == []


COMPLETION_CASES = [
    # (document with | at the cursor, labels that must be offered first, labels that must not be offered)
    ("{ pat|", ["patient", "patients"], ["appointments"]),
    ('{ patient(id: "1") { |', ["__typename", "appointments"], ["patient"]),
    ('{ patient(id: "1") { appointments { st|', ["status"], ["firstName"]),
    ("{ patients(|", ["limit"], ["id"]),
    ("{ patients(limit: 2, |", [], ["limit"]),
    ("query Q($n: Int) { patients(limit: $|", ["n"], []),
    ('{ patient(id: "1") { ...|', ["on"], []),
    ('{ patient(id: "1") { ... on |', ["Patient"], ["Int", "PatientInput"]),
    ("query Q($p: |", ["PatientInput", "ID"], ["Patient"]),
    ("{ patients @|", ["include", "skip"], ["deprecated"]),
    ("|", ["fragment", "mutation", "query", "subscription"], []),
    ('{ patient(id: "1") { labOrders { id } } } fragment F on Patient { first|', ["firstName"], []),
    ("mutation { createP|", ["createPatient"], ["patient"]),
    ('# { pat|', [], ["patient"]),
    ('{ patient(id: "pa|', [], ["patient"]),
]


def test_the_language_module_completes_each_context_from_the_live_schema(browser):
    """graphql-language.js in the page, against the schema the page loaded by introspection."""
    open_explorer(browser)
    for document, first, absent in COMPLETION_CASES:
        offset = document.index("|")
        labels = browser.execute_script(
            "const text = arguments[0], offset = arguments[1];"
            "return NileGraphQL.completionsAt(text, offset, window.NileExplorerSchema()).items.map((i) => i.label);",
            document.replace("|", ""), offset)
        assert labels[: len(first)] == first or set(first) <= set(labels), (document, labels)
        assert not set(absent) & set(labels), (document, labels)


def test_prettify_keeps_every_token_and_indents(browser):
    open_explorer(browser)
    source = ('query Q($id: ID!, $n: Int = 3) @skip(if: false) { a: patient(id: $id) { id ...F ... on Patient '
              '@include(if: true) { firstName } } } fragment F on Patient { medications { name } }')
    pretty = browser.execute_script("return NileGraphQL.prettify(arguments[0]);", source)
    assert pretty.split() == source.replace(",", "").split() or pretty.replace(",", "").split() == source.replace(",", "").split()
    assert "\n  a: patient(id: $id) {\n    id\n    ...F\n    ... on Patient @include(if: true) {\n      firstName\n" in pretty
    assert "\n\nfragment F on Patient {\n  medications {\n    name\n  }\n}\n" in pretty
    assert browser.execute_script("return NileGraphQL.prettify('{ a(x: \"open ) }');") is None  # unterminated string: left alone
