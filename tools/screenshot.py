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
                return header.split(";", 1)[0].split("=", 1)[1]
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

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def settle(self, seconds):
        """Wait until no request is pending in Odoo's web client, or for ``seconds``."""
        deadline = time.time() + seconds
        time.sleep(1.5)
        while time.time() < deadline:
            state = self.call(
                "Runtime.evaluate",
                expression=(
                    "document.readyState === 'complete' && "
                    "!document.querySelector("
                    "'.o_loading_indicator, .o-main-components-container .o_blockUI')"
                ),
                returnByValue=True,
            )
            if state.get("result", {}).get("value"):
                break
            time.sleep(0.5)
        time.sleep(1.0)

    def close(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)


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
    parser.add_argument("pairs", nargs="+", help="PATH PNG [PATH PNG ...]")
    args = parser.parse_args()
    if len(args.pairs) % 2:
        parser.error("give pairs of PATH and PNG file")
    session = authenticate(args.url, args.db, args.login, args.password or args.login)
    browser = Browser(args.width, args.height)
    try:
        browser.call("Network.enable")
        browser.call("Network.setCookie", name="session_id", value=session, url=args.url, path="/")
        for path, png in zip(args.pairs[::2], args.pairs[1::2]):
            browser.call("Page.navigate", url=f"{args.url}{path}")
            browser.settle(args.wait)
            shot = browser.call("Page.captureScreenshot", format="png")
            with open(png, "wb") as handle:
                handle.write(base64.b64decode(shot["data"]))
            print(f"{path} -> {png}")
    finally:
        browser.close()


if __name__ == "__main__":
    main()
