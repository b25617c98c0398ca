#!/usr/bin/python3
"""Opens an installed shinchoku's window through tauri-driver (WebDriver over plain HTTP) and
checks what its first start shows: the window title, the welcome dialog naming the default
database, the sample made from its first button, opened as the coordinator (81 cards drawn). Saves a screenshot, ends the
session, then ends tauri-driver's whole process group (it, WebKitWebDriver and the app).
For scripts/install-test.sh: python3 installed_window.py APP SCREENSHOT.png
The app gets this process's environment (XDG_DATA_HOME chooses its data folder)."""
import base64
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

TITLE = "重点政策 進捗管理"
SAMPLE_CARDS = 81
TIMEOUT = 90


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(method, url, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as r:
            return json.load(r)["value"]
    except urllib.error.HTTPError as e:
        raise SystemExit(f"WebDriver {method} {url}: {e.code} {e.read().decode(errors='replace')}")


def wait_for(what, check, seconds=30):
    started = time.monotonic()
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() - started > seconds:
            raise SystemExit(f"エラー: {seconds} 秒待っても {what}")
        time.sleep(0.2)


def main():
    app, screenshot = sys.argv[1], sys.argv[2]
    port, native = free_port(), free_port()
    env = dict(os.environ)
    # No session bus: the single-instance plugin never hands this window to an app open elsewhere.
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    driver = subprocess.Popen(
        ["tauri-driver", "--port", str(port), "--native-port", str(native)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        def up():
            try:
                urllib.request.urlopen(base + "/status", timeout=1)
                return True
            except OSError:
                return False
        wait_for("tauri-driver が起動しません", up, 20)
        started = time.monotonic()
        caps = {"capabilities": {"alwaysMatch": {"tauri:options": {"application": app, "args": []}}}}
        session = call("POST", base + "/session", caps)["sessionId"]
        s = f"{base}/session/{session}"

        def js(script):
            return call("POST", s + "/execute/sync", {"script": script, "args": []})

        def click(selector):
            element = call("POST", s + "/element", {"using": "css selector", "value": selector})
            call("POST", f"{s}/element/{next(iter(element.values()))}/click", {})

        wait_for("ようこそ画面が開きません",
                 lambda: js("return !!document.getElementById('welcome')?.open"))
        print(f"ウィンドウが開くまで: {time.monotonic() - started:.2f} 秒")
        title = call("GET", s + "/title")
        print(f"タイトル: {title}")
        if title != TITLE:
            raise SystemExit(f"エラー: タイトルが「{TITLE}」ではありません: {title}")
        path = js("return document.getElementById('welcome-path').textContent")
        print(f"ようこそ画面のデータベース: {path}")
        shot = base64.b64decode(call("GET", s + "/screenshot"))
        with open(screenshot, "wb") as f:
            f.write(shot)
        print(f"スクリーンショット: {screenshot} ({len(shot)} bytes)")
        started = time.monotonic()
        click("#start-sample")
        wait_for("「誰として使うか」の画面が開きません",
                 lambda: js("return !!document.getElementById('who')?.open"))
        click("#who-as-coordinator")
        wait_for(f"サンプルの {SAMPLE_CARDS} 件が表示されません",
                 lambda: js("return document.querySelectorAll('section.card').length") == SAMPLE_CARDS,
                 60)
        print(f"サンプル {SAMPLE_CARDS} 件の表示まで: {time.monotonic() - started:.2f} 秒")
        shot = base64.b64decode(call("GET", s + "/screenshot"))
        sample = screenshot.removesuffix(".png") + "-sample.png"
        with open(sample, "wb") as f:
            f.write(shot)
        print(f"スクリーンショット: {sample} ({len(shot)} bytes)")
        call("DELETE", s)
    finally:
        # tauri-driver, its WebKitWebDriver and the app, whatever happened above.
        try:
            os.killpg(driver.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        driver.wait()
    print("ウィンドウ: 1 passed, 0 failed")


main()
