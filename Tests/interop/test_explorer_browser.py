"""The schema explorer in a real browser (headless Chromium from Debian, driven by selenium):
it loads, lists the Patient type's fields from introspection, runs a query with a development
token and shows data and the receipt."""
import os
import shutil

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
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900"):
        options.add_argument(argument)
    if shutil.which("chromium"):
        options.binary_location = shutil.which("chromium")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(20)
    yield driver
    driver.quit()


def test_graphql_get_with_html_accept_serves_the_explorer():
    response = requests.get(f"{URL}/graphql", headers={"Accept": "text/html"}, timeout=5)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/html")
    assert "<script" in response.text and "https://" not in response.text  # self-contained: no CDN


def test_explorer_browses_types_and_runs_a_query(browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as conditions
    from selenium.webdriver.support.ui import Select, WebDriverWait

    wait = WebDriverWait(browser, 20)
    browser.get(f"{URL}/explorer")
    wait.until(conditions.text_to_be_present_in_element((By.ID, "status"), "types"))
    browser.find_element(By.XPATH, "//ul[@id='types']//button[text()='Patient']").click()
    detail = browser.find_element(By.ID, "type-detail").text
    for field in ("firstName", "appointments", "medications", "labOrders"):
        assert field in detail
    Select(browser.find_element(By.ID, "token")).select_by_index(1)  # the clinician's development token
    query = browser.find_element(By.ID, "query")
    query.clear()
    query.send_keys('{ patient(id: "3") { id firstName appointments { date } } }')
    browser.find_element(By.ID, "run").click()
    wait.until(conditions.text_to_be_present_in_element((By.ID, "result"), "HTTP 200"))
    result = browser.find_element(By.ID, "result").text
    assert '"firstName"' in result and '"id": "3"' in result
    assert "downstreamCalls" in browser.find_element(By.ID, "receipt").text
