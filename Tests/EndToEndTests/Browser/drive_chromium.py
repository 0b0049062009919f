"""Drives a real headless Chromium through a Forkboard hub, for the end-to-end web test.

Usage: drive_chromium.py BASE_URL LOGIN TOKEN SUBMISSION_NAME NEW_CLASSIFIER_FILE

Signs in through the sign-in form, visits the home, leaderboard, a submission, the sandbox
and the lineage pages, submits the file through the sandbox form, takes a screenshot of the
leaderboard, and prints one JSON object: each page's rendered DOM (after its scripts ran),
where the sandbox form led, and how many distinct byte values the screenshot's pixels hold.
Chromium is driven over its DevTools protocol with a minimal WebSocket client (the Python
standard library has none), so nothing beyond Chromium and Python is needed.
"""
import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request
import zlib


class DevTools:
    """A WebSocket connection to one page target of Chromium's DevTools protocol."""

    def __init__(self, url):
        host_port, path = url[len("ws://"):].split("/", 1)
        host, port = host_port.split(":")
        self.sock = socket.create_connection((host, int(port)), timeout=60)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (f"GET /{path} HTTP/1.1\r\nHost: {host_port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
        self.sock.sendall(request.encode())
        response = b""
        while b"\r\n\r\n" not in response:
            response += self.sock.recv(4096)
        if b" 101 " not in response.split(b"\r\n")[0]:
            raise RuntimeError(f"websocket upgrade refused: {response[:200]!r}")
        self.buffer = response.split(b"\r\n\r\n", 1)[1]
        self.next_id = 0

    def _send(self, text):
        payload = text.encode()
        header = bytes([0x81])
        length = len(payload)
        if length < 126:
            header += bytes([0x80 | length])
        elif length < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", length)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", length)
        mask = os.urandom(4)
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def _read(self, count):
        while len(self.buffer) < count:
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise RuntimeError("DevTools closed the connection")
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def _receive(self):
        message = b""
        while True:
            first, second = self._read(2)
            length = second & 0x7F
            if length == 126:
                length = struct.unpack(">H", self._read(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self._read(8))[0]
            message += self._read(length)
            if first & 0x80:
                return json.loads(message.decode())

    def call(self, method, **params):
        self.next_id += 1
        self._send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = self._receive()
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        return result.get("result", {}).get("value")

    def wait_until(self, expression, seconds=60):
        deadline = time.time() + seconds
        while time.time() < deadline:
            try:
                if self.evaluate(expression):
                    return
            except RuntimeError:
                pass  # a navigation replaced the page's context
            time.sleep(0.2)
        raise RuntimeError(f"timed out waiting for {expression}")

    def open(self, url):
        self.call("Page.navigate", url=url)
        time.sleep(0.3)
        self.wait_until("document.readyState === 'complete'")
        return self.evaluate("document.documentElement.outerHTML")


def distinct_pixel_bytes(png):
    """How many distinct byte values a PNG's decompressed scanlines hold (1 or 2 when blank)."""
    position, idat = 8, b""
    while position < len(png):
        length = struct.unpack(">I", png[position:position + 4])[0]
        kind = png[position + 4:position + 8]
        if kind == b"IDAT":
            idat += png[position + 8:position + 8 + length]
        position += 12 + length
    return len(set(zlib.decompress(idat)))


def main():
    base, login, token, name, classifier_file = sys.argv[1:6]
    with open(classifier_file, encoding="utf-8") as handle:
        classifier = handle.read()
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    profile = tempfile.mkdtemp(prefix="forkboard-chromium-")
    process = subprocess.Popen([browser, "--headless=new", "--no-sandbox", "--disable-gpu", "--remote-debugging-port=0",
                                f"--user-data-dir={profile}", "--window-size=1280,1000", "about:blank"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = os.path.join(profile, "DevToolsActivePort")
        deadline = time.time() + 60
        while not os.path.exists(port_file) or not open(port_file).read().strip():
            if time.time() > deadline:
                raise RuntimeError("Chromium did not start")
            time.sleep(0.1)
        port = open(port_file).read().split()[0]
        pages = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list"))
        page = DevTools(next(target for target in pages if target["type"] == "page")["webSocketDebuggerUrl"])
        page.call("Page.enable")
        page.call("Runtime.enable")
        out = {}
        out["signin"] = page.open(f"{base}/leaderboard")  # sent to the sign-in page, coming back after
        page.evaluate(f"""document.querySelector('input[name=login]').value = {json.dumps(login)};
            document.querySelector('input[name=token]').value = {json.dumps(token)};
            document.querySelector('form[action="/signin"]').submit(); true""")
        page.wait_until("location.pathname === '/leaderboard' && document.readyState === 'complete'")
        out["leaderboard"] = page.evaluate("document.documentElement.outerHTML")
        # A click on a column's header sorts the rows in the browser (the page's script).
        page.evaluate("document.querySelector('th button[data-column=\"2\"]').click(); true")
        out["sorted_submissions"] = page.evaluate(
            "Array.from(document.querySelectorAll('#leaderboard tbody tr')).map(row => row.cells[2].textContent.trim())")
        shot = page.call("Page.captureScreenshot", format="png")
        out["screenshot_distinct_bytes"] = distinct_pixel_bytes(base64.b64decode(shot["data"]))
        out["home"] = page.open(f"{base}/")
        out["submission"] = page.open(f"{base}/submissions/{login}/kit")
        out["lineage"] = page.open(f"{base}/lineage")
        out["lineage_svg_nodes"] = page.evaluate(
            "new Promise(done => { const o = document.querySelector('object'); const count = () => "
            "(o.contentDocument ? o.contentDocument.querySelectorAll('g.node').length : 0); "
            "if (count() > 0) { done(count()); } else { o.addEventListener('load', () => done(count())); setTimeout(() => done(count()), 5000); } })")
        out["sandbox"] = page.open(f"{base}/sandbox")
        page.evaluate(f"""document.querySelector('input[name=name]').value = {json.dumps(name)};
            document.querySelector('textarea[name=content]').value = {json.dumps(classifier)};
            document.querySelector('form[action="/sandbox"]').submit(); true""")
        page.wait_until(f"location.pathname === '/submissions/{login}/{name}' && document.readyState === 'complete'")
        out["after_sandbox"] = page.evaluate("location.pathname")
        print(json.dumps(out))
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
