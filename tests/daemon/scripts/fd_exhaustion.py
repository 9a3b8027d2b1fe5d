#!/usr/bin/python3
"""cardbridged out of file descriptors: it must not spin, and must serve again once some close.

    fd_exhaustion.py CARDBRIDGED

Starts the daemon with a hard limit of 64 open files, opens WebSocket connections until it
stops answering, measures the daemon's CPU time while clients keep knocking, then closes the
connections and expects a new one to be greeted.
"""
import asyncio, json, os, re, subprocess, sys, tempfile, time
import websockets

ORIGIN = "https://www.singlewindow.cn"


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def connect(port):
    ws = await websockets.connect(f"ws://127.0.0.1:{port}", origin=ORIGIN, open_timeout=1)
    hello = json.loads(await asyncio.wait_for(ws.recv(), 1))
    assert hello["_method"] == "open", hello
    return ws


async def main(binary):
    work = tempfile.mkdtemp()
    with open(f"{work}/config.json", "w") as f:
        json.dump({"socket": f"{work}/daemon.sock", "auditLog": f"{work}/audit.log"}, f)
    log = open(f"{work}/daemon.log", "w+")
    daemon = subprocess.Popen(["prlimit", "--nofile=64:64", binary, "--config", f"{work}/config.json",
                               "--port", "0"], stderr=log)
    try:
        port = None
        for _ in range(100):
            log.seek(0)
            m = re.search(r"ws://127\.0\.0\.1:(\d+)", log.read())
            if m:
                port = int(m.group(1))
                break
            time.sleep(0.05)
        assert port, "the daemon did not start"
        open_ws = []
        for _ in range(80):
            try:
                open_ws.append(await connect(port))
            except Exception:
                break
        assert 20 < len(open_ws) < 64, f"{len(open_ws)} connections before the limit"
        # Clients keep knocking while no descriptor is free; the daemon must wait, not spin.
        before = cpu_seconds(daemon.pid)
        knocks = [asyncio.create_task(connect(port)) for _ in range(5)]
        await asyncio.sleep(2)
        spent = cpu_seconds(daemon.pid) - before
        assert spent < 0.5, f"the daemon used {spent:.2f} s of CPU in 2 s while out of descriptors"
        for ws in open_ws:
            await ws.close()
        await asyncio.gather(*knocks, return_exceptions=True)
        await asyncio.sleep(0.6)  # one accept retry period
        fresh = await connect(port)
        await fresh.close()
        log.seek(0)
        assert "cannot accept" in log.read(), "no log line says why connections were not accepted"
        print(f"ok: {len(open_ws)} connections at the limit, {spent:.3f} s CPU in 2 s, served again")
    finally:
        daemon.terminate()
        daemon.wait(10)


asyncio.run(main(sys.argv[1]))
