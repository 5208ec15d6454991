#!/usr/bin/env python3
"""The MedMij PGO flow and the patient portal in a real browser (headless Chromium through Selenium).

Starts `zorgnet serve --demo` on a temporary data directory with free ports, and then, as a patient
and as the demo PGO app would:

 1. opens the authorization URL the gateway prints, logs in with the DigiD stand-in, enrols the TOTP
    second factor (the Base32 key shown on the page, the code computed here, RFC 6238) and consents;
 2. receives the code on the app's redirect URI https://pgo-demo.zorgnet.test/callback, served by a
    small HTTPS listener here (Chromium's --host-resolver-rules sends the host to it);
 3. exchanges the code for tokens over mutual TLS with the demo PGO certificate and runs BgZ queries;
 4. revokes the app in the portal, then checks that the same access token gets 401 and the refresh
    token invalid_grant, and that "who looked at my data" tells the collection in plain words.

Trust: Chromium is given the data directory's dev CA as a trusted root in the NSS database of a
temporary HOME (certutil), so it checks the gateway's and the callback's certificates for real; no
--ignore-certificate-errors. The callback's certificate is issued from that same dev CA (openssl).

Screenshots of the consent screen, the apps page, the access log and the members page go to
.build/browser-artifacts/.

    python3 Tests/browser/test_pgo_flow.py [--binary .build/debug/zorgnet] [--artifacts DIR]
"""

import argparse
import base64
import hashlib
import hmac
import http.client
import http.server
import json
import os
import re
import shutil
import signal
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CALLBACK_HOST = "pgo-demo.zorgnet.test"
REDIRECT_URI = f"https://{CALLBACK_HOST}/callback"
CLIENT_ID = "pgo-demo.zorgnet.test"


class Checks:
    """Counts what passed and failed; a failed check stops the run (later steps depend on it)."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, condition, detail=""):
        if condition:
            self.passed += 1
            print(f"ok   - {name}", flush=True)
        else:
            self.failed += 1
            print(f"FAIL - {name}{': ' + detail if detail else ''}", flush=True)
            raise StepFailed(name)


class StepFailed(Exception):
    pass


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def totp(secret_base32, at=None, step=30, digits=6):
    """RFC 6238 with HMAC-SHA1, as authenticator apps compute it."""
    key = base64.b32decode(secret_base32 + "=" * (-len(secret_base32) % 8))
    counter = int((at if at is not None else time.time()) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


class Gateway:
    """`zorgnet serve --demo` on a temporary data directory and free ports."""

    def __init__(self, binary, data):
        self.data = data
        self.front_port, self.back_port = free_port(), free_port()
        self.log_path = os.path.join(data, "serve.log")
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [binary, "serve", "--demo", "--data-dir", os.path.join(data, "gateway"),
             "--front", f"127.0.0.1:{self.front_port}", "--back", f"127.0.0.1:{self.back_port}"],
            cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)
        self.pki = os.path.join(data, "gateway", "pki")
        self.authorize_url = self._wait_for_authorize_url()
        self.front = f"https://127.0.0.1:{self.front_port}"

    def _wait_for_authorize_url(self):
        deadline = time.time() + 180
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise StepFailed(f"the gateway exited early:\n{self.output()}")
            match = re.search(r"^\s+(https://\S+/oauth/authorize\?\S+)$", self.output(), re.MULTILINE)
            if match:
                return match.group(1)
            time.sleep(0.5)
        raise StepFailed(f"the gateway printed no authorization URL:\n{self.output()}")

    def output(self):
        with open(self.log_path) as log:
            return log.read()

    def back_context(self):
        """TLS as the demo PGO app: its certificate and key, the dev CA as the only trust anchor."""
        context = ssl.create_default_context(cafile=os.path.join(self.pki, "ca.crt"))
        context.load_cert_chain(os.path.join(self.pki, "pgo-demo.crt"), os.path.join(self.pki, "pgo-demo.key"))
        return context

    def back(self, method, path, body=None, token=None):
        connection = http.client.HTTPSConnection("127.0.0.1", self.back_port, context=self.back_context(), timeout=60)
        headers = {"Accept": "application/fhir+json"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urllib.parse.urlencode(body)
        if token:
            headers["Authorization"] = f"Bearer {token}"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        payload = response.read()
        connection.close()
        return response.status, payload

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


class Callback:
    """The demo PGO app's redirect URI: HTTPS with a certificate for pgo-demo.zorgnet.test from the
    dev CA; it keeps the query of the first request to /callback."""

    def __init__(self, pki, work):
        self.port = free_port()
        self.query = None
        self.received = threading.Event()
        certificate, key = self._issue(pki, work)
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                parsed = urllib.parse.urlsplit(self.path)
                if parsed.path == "/callback" and outer.query is None:
                    outer.query = urllib.parse.parse_qs(parsed.query)
                    outer.received.set()
                page = b"<!doctype html><html lang='en'><title>Demo PGO</title><h1>Demo PGO: authorization received</h1></html>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *arguments):
                pass  # the query holds the code: keep it out of the output

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(certificate, key)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @staticmethod
    def _issue(pki, work):
        key, request, certificate = (os.path.join(work, name) for name in ("callback.key", "callback.csr", "callback.crt"))
        extensions = os.path.join(work, "callback.ext")
        with open(extensions, "w") as file:
            file.write(f"subjectAltName=DNS:{CALLBACK_HOST}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n")
        run = lambda *arguments: subprocess.run(arguments, check=True, capture_output=True)
        run("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", key, "-out", request, "-subj", f"/CN={CALLBACK_HOST}")
        run("openssl", "x509", "-req", "-in", request, "-CA", os.path.join(pki, "ca.crt"), "-CAkey", os.path.join(pki, "ca.key"),
            "-CAcreateserial", "-days", "2", "-sha256", "-extfile", extensions, "-out", certificate)
        return certificate, key

    def stop(self):
        self.server.shutdown()


def browser(home, callback_port, artifacts):
    """Headless Chromium that trusts the dev CA through the NSS database of `home`."""
    nssdb = os.path.join(home, ".pki", "nssdb")
    os.makedirs(nssdb, exist_ok=True)
    subprocess.run(["certutil", "-d", f"sql:{nssdb}", "-N", "--empty-password"], check=True, capture_output=True)
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in [
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1200,1600", "--lang=nl",
        f"--user-data-dir={os.path.join(home, 'profile')}",
        # The app's redirect host has no DNS entry: send it to the local callback listener.
        f"--host-resolver-rules=MAP {CALLBACK_HOST}:443 127.0.0.1:{callback_port}",
    ]:
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": "nl-NL,nl"})
    environment = dict(os.environ, HOME=home)
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver", env=environment,
                      log_output=os.path.join(artifacts, "chromedriver.log"))
    return webdriver.Chrome(options=options, service=service)


def trust_ca(home, ca):
    nssdb = os.path.join(home, ".pki", "nssdb")
    subprocess.run(["certutil", "-d", f"sql:{nssdb}", "-A", "-t", "C,,", "-n", "zorgnet-dev-ca", "-i", ca],
                   check=True, capture_output=True)


def run(arguments, checks):
    started = time.time()
    artifacts = os.path.abspath(arguments.artifacts)
    os.makedirs(artifacts, exist_ok=True)
    work = tempfile.mkdtemp(prefix="zorgnet-browser-")
    gateway = callback = driver = None
    screenshots = []
    try:
        gateway = Gateway(arguments.binary, work)
        checks.check("serve --demo prints the demo PGO's authorization URL", "client_id=pgo-demo.zorgnet.test" in gateway.authorize_url)
        callback = Callback(gateway.pki, work)
        home = os.path.join(work, "home")
        os.makedirs(home)
        driver = browser(home, callback.port, artifacts)
        trust_ca(home, os.path.join(gateway.pki, "ca.crt"))
        wait = WebDriverWait(driver, 30)

        def screenshot(name):
            path = os.path.join(artifacts, name)
            driver.save_screenshot(path)
            screenshots.append(path)

        # 1. The patient's browser arrives from the app: landing page, login, second factor.
        driver.get(gateway.authorize_url)
        checks.check("the landing page names the app", "Demo PGO app" in driver.page_source)
        driver.find_element(By.CSS_SELECTOR, "main a[href='/login']").click()
        form = wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "form[action='/login/digid-standin']")))
        form.find_element(By.CSS_SELECTOR, "input[type=radio][name=choice]").click()
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        secret = wait.until(expected_conditions.presence_of_element_located((By.ID, "totp-secret"))).text.replace(" ", "")
        checks.check("TOTP enrolment shows a Base32 key", re.fullmatch(r"[A-Z2-7]{16,}", secret) is not None, secret[:4] + "…")
        qr = driver.find_elements(By.CSS_SELECTOR, "main figure svg rect, main figure svg path")
        checks.check("TOTP enrolment shows the key as a QR code", len(qr) > 0)
        driver.find_element(By.ID, "code").send_keys(totp(secret))
        driver.find_element(By.CSS_SELECTOR, "form[action='/login/second-factor'] button[type=submit]").click()

        # 2. The consent screen; "1 year" so that the app gets a refresh token.
        wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "form[action='/oauth/consent']")))
        checks.check("the consent screen asks for the patient's consent", "Toestemming geven" in driver.title)
        screenshot("consent-screen.png")
        driver.find_element(By.CSS_SELECTOR, "input[name=period][value='1-year']").click()
        driver.find_element(By.CSS_SELECTOR, "button[name=decision][value=allow]").click()
        checks.check("the browser comes back to the app's redirect URI with a code", callback.received.wait(30))
        query = callback.query or {}
        checks.check("the state comes back unchanged", query.get("state") == ["demo"], str(query.get("state")))
        code = (query.get("code") or [""])[0]

        # 3. The app, over mutual TLS: code → tokens, then BgZ queries.
        status, body = gateway.back("POST", "/oauth/token", {
            "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI, "client_id": CLIENT_ID})
        tokens = json.loads(body) if status == 200 else {}
        checks.check("the code is exchanged for an access and a refresh token", "access_token" in tokens and "refresh_token" in tokens,
                     f"{status} {body[:200]!r}")
        access, refresh = tokens["access_token"], tokens["refresh_token"]
        for path in ["/fhir/Patient", "/fhir/MedicationStatement?_include=MedicationStatement:medication",
                     "/fhir/Condition"]:
            status, body = gateway.back("GET", path, token=access)
            total = json.loads(body).get("total") if status == 200 else None
            checks.check(f"BgZ query {path} returns data", status == 200 and (total or 0) > 0, f"{status} total={total}")

        # 4. The patient revokes the app in the portal.
        driver.get(gateway.front + "/portal/apps")
        checks.check("the portal lists the app", "Demo PGO app" in driver.page_source)
        # The consent screen decided the period: no standing demo consent, and "1 year" ends a year from now.
        until = [element.get_attribute("datetime") or "" for element in driver.find_elements(By.CSS_SELECTOR, "main table time")]
        next_year = str(time.gmtime().tm_year + 1)
        checks.check("the app's access ends in a year, as chosen on the consent screen",
                     any(value.startswith(next_year) for value in until) and "tot u het intrekt" not in driver.page_source,
                     ", ".join(until))
        screenshot("portal-apps.png")
        driver.find_element(By.CSS_SELECTOR, "form[action='/portal/apps/revoke'] button[type=submit]").click()
        wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "[role=status]")))
        checks.check("the portal confirms the revocation", "is ingetrokken" in driver.page_source)
        status, _ = gateway.back("GET", "/fhir/Patient", token=access)
        checks.check("the same access token now gets 401", status == 401, str(status))
        status, body = gateway.back("POST", "/oauth/token", {"grant_type": "refresh_token", "refresh_token": refresh})
        error = json.loads(body).get("error") if body else None
        checks.check("the refresh token is refused with invalid_grant", status == 400 and error == "invalid_grant", f"{status} {error}")

        driver.get(gateway.front + "/portal/access-log")
        text = driver.find_element(By.TAG_NAME, "main").text
        checks.check("the access log tells the collection in plain words",
                     "Demo PGO app heeft op" in text and "met uw toestemming van" in text and "uw medicatie opgehaald" in text)
        checks.check("the access log shows no token", access not in driver.page_source and refresh not in driver.page_source)
        screenshot("access-log.png")

        driver.get(gateway.front + "/portal/members")
        members = driver.find_elements(By.CSS_SELECTOR, "main section[id^=member-]")
        checks.check("the portal lists the members of the patient's PZC", len(members) > 0)
        screenshot("portal-members.png")
        driver.get(gateway.front + "/portal/providers")
        checks.check("the portal offers the registered hospital", "Demo Ziekenhuis" in driver.page_source)
    except StepFailed as failure:
        if checks.failed == 0:  # raised outside a check (the gateway did not start): still a failure
            checks.failed += 1
            print(f"FAIL - {failure}", flush=True)
        if gateway:
            print(gateway.output()[-3000:])
    finally:
        if driver:
            driver.quit()
        if callback:
            callback.stop()
        if gateway:
            gateway.stop()
        shutil.rmtree(work, ignore_errors=True)
    for path in screenshots:
        print(f"screenshot: {path}")
    print(f"browser test took {time.time() - started:.1f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", help="the zorgnet binary (default: built with swift build)")
    parser.add_argument("--artifacts", default=os.path.join(ROOT, ".build", "browser-artifacts"))
    arguments = parser.parse_args()
    if not arguments.binary:
        subprocess.run(["swift", "build", "--product", "zorgnet"], cwd=ROOT, check=True, capture_output=True)
        bin_path = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()
        arguments.binary = os.path.join(bin_path, "zorgnet")
    checks = Checks()
    try:
        run(arguments, checks)
    except Exception as error:  # a crash of the test itself is a failure too, never a silent pass
        checks.failed += 1
        print(f"FAIL - the browser test crashed: {type(error).__name__}: {error}")
    print(f"browser: {checks.passed} passed, {checks.failed} failed")
    sys.exit(1 if checks.failed or checks.passed == 0 else 0)


if __name__ == "__main__":
    main()
