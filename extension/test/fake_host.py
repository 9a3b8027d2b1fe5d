#!/usr/bin/python3
"""A stand-in for cardbridge-host in the extension's smoke test (test/smoke.mjs).

Speaks the extension side of docs/BROWSER.md "Extension ↔ host" and plays a tiny daemon
behind each channel, so the extension can be tested before the real host exists. It is not
the host: no daemon, no socket. Every frame it reads is appended to $FAKE_HOST_LOG as JSON.

Daemon stand-in: JSON-RPC system.info, tokens.list, token.info, events.subscribe (then one
token.inserted notification), token.verifyPin (PIN_INCORRECT, retriesLeft 2); a legacy call
object or text is answered in the E-Port envelope with its _method and _id; a BLOCKTXT text is
echoed back as a string. Test controls: test.dropChannel (the channel closes with
DAEMON_UNAVAILABLE), test.exitHost (the process exits), test.ignoreNextOpen.
"""
import json
import os
import struct
import sys

ALLOWED = {o for o in os.environ.get("FAKE_HOST_ALLOWED", "").split(",") if o}
LOG = os.environ.get("FAKE_HOST_LOG")
VERSION = "0.1.0-fake"


def log(entry):
    if LOG:
        with open(LOG, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")


def send(msg):
    body = json.dumps(msg, ensure_ascii=False).encode("utf-8")
    sys.stdout.buffer.write(struct.pack("=I", len(body)) + body)
    sys.stdout.buffer.flush()


def read():
    head = sys.stdin.buffer.read(4)
    if len(head) < 4:
        return None
    (size,) = struct.unpack("=I", head)
    return json.loads(sys.stdin.buffer.read(size))


def rpc(channel, req):
    method, rid = req.get("method"), req.get("id")
    reply = lambda result: send({"channel": channel, "message": {"jsonrpc": "2.0", "id": rid, "result": result}})
    if method == "system.info":
        reply({"product": "cardbridge", "version": VERSION, "apiVersion": 1, "methods": ["system.info"]})
    elif method == "tokens.list":
        reply({"readers": [
            {"reader": "Virtual PCD 00 00", "state": "present", "atr": "3B8C",
             "token": {"type": "piv", "id": "piv:0123", "label": "测试进出口贸易有限公司 张测试"}},
            {"reader": "Virtual PCD 00 01", "state": "empty", "atr": None, "token": None}]})
    elif method == "token.info":
        reply({"reader": (req.get("params") or {}).get("reader", "Virtual PCD 00 00"), "type": "piv"})
    elif method == "events.subscribe":
        reply({"subscribed": True})
        send({"channel": channel, "message": {"jsonrpc": "2.0", "method": "token.inserted",
                                              "params": {"reader": "Virtual PCD 00 00", "atr": "3B8C"}}})
    elif method == "token.verifyPin":
        send({"channel": channel, "message": {"jsonrpc": "2.0", "id": rid, "error": {
            "code": 1301, "message": "wrong PIN", "data": {"reason": "PIN_INCORRECT", "retriesLeft": 2}}}})
    elif method == "test.dropChannel":
        channels.discard(channel)
        send({"channel": channel, "closed": {"reason": "DAEMON_UNAVAILABLE", "message": "the daemon went away"}})
    elif method == "test.exitHost":
        sys.exit(0)
    elif method == "test.ignoreNextOpen":
        state["ignore_open"] = True
        reply({"ok": True})
    else:
        send({"channel": channel, "message": {"jsonrpc": "2.0", "id": rid, "error": {
            "code": -32601, "message": "no such method", "data": {"reason": "METHOD_NOT_FOUND"}}}})


def legacy(channel, call):
    send({"channel": channel, "message": {"_id": call.get("_id"), "_method": call.get("_method"), "_status": "00",
                                          "_args": {"Result": True, "Data": ["legacy-ok"], "Error": []}}})


channels = set()
state = {"ignore_open": False}

while True:
    msg = read()
    if msg is None:
        sys.exit(0)
    log(msg)
    ch = msg.get("channel")
    if "open" in msg:
        origin = msg["open"].get("origin")
        if state["ignore_open"]:
            state["ignore_open"] = False
        elif origin is None or origin in ALLOWED:
            channels.add(ch)
            send({"channel": ch, "opened": {"version": VERSION}})
        else:
            send({"channel": ch, "closed": {"reason": "ORIGIN_NOT_ALLOWED", "message": f"{origin} is not allowed"}})
    elif "close" in msg:
        if ch in channels:
            channels.discard(ch)
            send({"channel": ch, "closed": {}})
    elif "send" in msg and ch in channels:
        data = msg["send"]
        if isinstance(data, str):
            if data.startswith("BLOCKTXT"):
                send({"channel": ch, "message": data})
            else:
                legacy(ch, json.loads(data))
        elif isinstance(data, dict) and data.get("jsonrpc") == "2.0":
            rpc(ch, data)
        elif isinstance(data, dict) and "_method" in data:
            legacy(ch, data)
    else:
        send({"error": {"reason": "INVALID_REQUEST", "message": "unknown message"}})
