#!/usr/bin/env python3
"""Screenshot Odoo pages as a logged-in user, with headless Chromium.

    python3 tools/screenshot.py --login site_manager --password site_manager \
        --db site_demo /odoo/action-site_residents.action_site_unit units.png

Logs in through /web/session/authenticate, hands the session cookie to Chromium over
the DevTools protocol, waits until the page has settled and saves a PNG per path.
"""

import argparse
import base64
import json
import shutil
import subprocess
import tempfile
import time
import urllib.request

import websocket


def authenticate(base_url, db, login, password):
    payload = json.dumps(
        {
            "jsonrpc": "2.0",
            "params": {"db": db, "login": login, "password": password},
        }
    ).encode()
    request = urllib.request.Request(
        f"{base_url}/web/session/authenticate", payload, {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        body = json.load(response)
        if body.get("error"):
            raise SystemExit(f"login failed for {login}: {body['error']['data']['message']}")
        for header in response.headers.get_all("Set-Cookie"):
            if header.startswith("session_id="):
                return header.split(";", 1)[0].split("=", 1)[1], body["result"]["uid"]
    raise SystemExit("no session cookie in the login answer")


class Browser:
    def __init__(self, width, height):
        self.profile = tempfile.mkdtemp(prefix="shot_chromium_")
        binary = shutil.which("chromium") or shutil.which("google-chrome")
        self.process = subprocess.Popen(
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={self.profile}",
                "--remote-debugging-port=0",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stderr=subprocess.PIPE,
            text=True,
        )
        for line in self.process.stderr:
            if "DevTools listening on" in line:
                browser_ws = line.split("on ", 1)[1].strip()
                break
        port = browser_ws.split(":")[2].split("/")[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=10) as response:
            page = next(t for t in json.load(response) if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.next_id = 0
        # Headless Chromium keeps windows at least 500 px wide: emulate a phone's viewport.
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=width < 600,
        )

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def open(self, url, seconds):
        """Load ``url`` and wait until no request is pending in Odoo's web client."""
        # The old document also says 'complete': mark it, and wait for a new one.
        self.call("Runtime.evaluate", expression="window.__shot_previous = true")
        self.call("Page.navigate", url=url)
        deadline = time.time() + seconds
        settled = 0
        while time.time() < deadline and settled < 2:  # idle twice in a row
            time.sleep(0.75)
            state = self.call(
                "Runtime.evaluate",
                expression=(
                    "!window.__shot_previous && document.readyState === 'complete' && "
                    "!document.querySelector("
                    "'.o_loading_indicator, .o-main-components-container .o_blockUI') && "
                    # the web client has shown its action, or this is not the web client
                    "(!document.querySelector('.o_web_client') || "
                    "!!document.querySelector('.o_action_manager .o_action .o_content > *'))"
                ),
                returnByValue=True,
            )
            settled = settled + 1 if state.get("result", {}).get("value") else 0
        time.sleep(0.5)

    def close(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)


def set_language(base_url, session, uid, lang):
    """Switch the logged-in user's language, for the backend and the portal alike."""
    payload = json.dumps(
        {
            "jsonrpc": "2.0",
            "params": {
                "model": "res.users",
                "method": "write",
                "args": [[uid], {"lang": lang}],
                "kwargs": {},
            },
        }
    ).encode()
    request = urllib.request.Request(
        f"{base_url}/web/dataset/call_kw/res.users/write",
        payload,
        {"Content-Type": "application/json", "Cookie": f"session_id={session}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        body = json.load(response)
        if body.get("error"):
            raise SystemExit(f"cannot switch to {lang}: {body['error']['data']['message']}")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", default="site_demo")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password")
    parser.add_argument("--lang", help="e.g. tr_TR: switch the user's language first")
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--wait", type=float, default=15.0)
    parser.add_argument("--companies", help="e.g. 6-7-8: the companies switched on (backend)")
    parser.add_argument("pairs", nargs="+", help="PATH PNG [PATH PNG ...]")
    args = parser.parse_args()
    if len(args.pairs) % 2:
        parser.error("give pairs of PATH and PNG file")
    session, uid = authenticate(args.url, args.db, args.login, args.password or args.login)
    if args.lang:
        set_language(args.url, session, uid, args.lang)
    browser = Browser(args.width, args.height)
    try:
        browser.call("Network.enable")
        browser.call("Network.setCookie", name="session_id", value=session, url=args.url, path="/")
        if args.lang:  # the portal follows this cookie, the backend the user's language
            browser.call(
                "Network.setCookie", name="frontend_lang", value=args.lang, url=args.url, path="/"
            )
        if args.companies:  # the web client's company switcher keeps them in this cookie
            browser.call(
                "Network.setCookie", name="cids", value=args.companies, url=args.url, path="/"
            )
        for path, png in zip(args.pairs[::2], args.pairs[1::2]):
            browser.open(f"{args.url}{path}", args.wait)
            shot = browser.call("Page.captureScreenshot", format="png")
            with open(png, "wb") as handle:
                handle.write(base64.b64decode(shot["data"]))
            print(f"{path} -> {png}")
    finally:
        browser.close()


if __name__ == "__main__":
    main()
