"""render_page.py PAGE.html SHOT.png [PRINT.pdf]: opens the page in Debian's
chromium (headless, driven through the DevTools protocol with Debian's
python3-websocket), refuses and records every request other than the page
itself, takes a screenshot of the first screen (1200 x 1000), prints the page
on A4 when asked, and writes as JSON what a reader sees: the text as
rendered, the sections and where they start, the bars of the chart, the
coloured cells of the heat map, and whether Chinese characters are drawn
with a font (without one every character is the same empty box)."""
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import websocket

page_path, shot = sys.argv[1], sys.argv[2]
pdf = sys.argv[3] if len(sys.argv) > 3 else None
url = Path(page_path).resolve().as_uri()
chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")

SEEN = r"""(() => {
  const font = getComputedStyle(document.body).fontFamily;
  const draw = (ch) => {
    const c = document.createElement('canvas');
    c.width = 40; c.height = 40;
    const g = c.getContext('2d');
    g.font = '32px ' + font;
    g.fillText(ch, 2, 32);
    return Array.from(g.getImageData(0, 0, 40, 40).data).join(',');
  };
  const box = (el) => { const r = el.getBoundingClientRect(); return {top: r.top, height: r.height}; };
  return {
    text: document.body.innerText,
    title: document.title,
    sections: Array.from(document.querySelectorAll('section')).map((s) => Object.assign({id: s.id}, box(s))),
    bars: document.querySelectorAll('#chart svg rect').length,
    heat_cells: document.querySelectorAll('#heat td[style]').length,
    glyphs_differ: draw('牡') !== draw('丹') && draw('丹') !== draw('区'),
    viewport: window.innerHeight,
  };
})()"""

profile = tempfile.mkdtemp(prefix="rubric-chromium-")
proc = subprocess.Popen(
    [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--remote-debugging-port=0",
     "--user-data-dir=" + profile, "about:blank"],
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    port_file = Path(profile, "DevToolsActivePort")
    for _ in range(300):
        if port_file.exists() and port_file.read_text().count("\n") >= 1:
            break
        time.sleep(0.1)
    port = port_file.read_text().split("\n")[0]
    targets = json.load(urllib.request.urlopen("http://127.0.0.1:%s/json/list" % port, timeout=30))
    ws = websocket.create_connection([t for t in targets if t["type"] == "page"][0]["webSocketDebuggerUrl"],
                                     timeout=60)
    requests, events, next_id = [], [], [0]

    def handle(msg):
        if msg.get("method") == "Fetch.requestPaused":
            p = msg["params"]
            if p["request"]["url"] == url:
                send("Fetch.continueRequest", requestId=p["requestId"], wait=False)
            else:
                requests.append(p["request"]["url"])
                send("Fetch.failRequest", requestId=p["requestId"], errorReason="BlockedByClient", wait=False)
        elif "method" in msg:
            events.append(msg["method"])

    def send(method, wait=True, **params):
        next_id[0] += 1
        me = next_id[0]
        ws.send(json.dumps({"id": me, "method": method, "params": params}))
        while wait:
            msg = json.loads(ws.recv())
            if msg.get("id") == me:
                if "error" in msg:
                    raise RuntimeError("%s: %s" % (method, msg["error"]))
                return msg.get("result", {})
            handle(msg)

    send("Page.enable")
    send("Network.enable")
    send("Fetch.enable", patterns=[{"urlPattern": "*"}])
    send("Emulation.setDeviceMetricsOverride", width=1200, height=1000, deviceScaleFactor=1, mobile=False)
    send("Page.navigate", url=url)
    deadline = time.time() + 60
    while "Page.loadEventFired" not in events and time.time() < deadline:
        handle(json.loads(ws.recv()))
    seen = send("Runtime.evaluate", expression=SEEN, returnByValue=True)["result"]["value"]
    Path(shot).write_bytes(base64.b64decode(send("Page.captureScreenshot", format="png")["data"]))
    if pdf:
        printed = send("Page.printToPDF", paperWidth=8.27, paperHeight=11.69, printBackground=True)
        Path(pdf).write_bytes(base64.b64decode(printed["data"]))
    ws.close()
    print(json.dumps(dict(requests=requests, loaded="Page.loadEventFired" in events, **seen), ensure_ascii=False))
finally:
    proc.kill()
    proc.wait()
    shutil.rmtree(profile, ignore_errors=True)
