#!/usr/bin/python3
"""The legacy E-Port API on USB keys, each the only token present: a soft SKF key holding the
test PKI's SM2 E-Port certificate (tools/soft-skf), and SoftHSM2 tokens with an RSA-2048 and a
P-256 key (tests/harness/softhsm-tokens). The openssl command line judges every signature.

  usb_keys.py --daemon cardbridged --pki TEST_PKI_DIR --soft-skf-lib LIB --soft-skf-cli CLI \\
              --softhsm-tokens SCRIPT
"""
import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from eport_client import LegacyConnection  # noqa: E402
from signatures import Crypto  # noqa: E402
from support import SW, Fatal, Session, T, b64d, short, wait_for_card  # noqa: E402

SOFTHSM = "/usr/lib/softhsm/libsofthsm2.so"
SKF_PIN, HSM_PIN, WRONG = "88888888", "123456", "13572468"
# libpcsclite's socket, somewhere no pcscd listens: the keys are then the only tokens.
NO_PCSCD = {"PCSCLITE_CSOCK_NAME": "/nonexistent/cardbridge-test/pcscd.comm"}


def command(*argv, env=None):
    p = subprocess.run(argv, capture_output=True, env=env)
    if p.returncode:
        raise Fatal("%s failed: %s" % (" ".join(argv), p.stderr.decode(errors="replace")))


class Daemon:
    """A cardbridged with one kind of key configured, on a free port, stopped on exit."""

    def __init__(self, args, tmp, name, usb_keys, env):
        self.dir = os.path.join(tmp, name)
        os.makedirs(self.dir, mode=0o700)
        config = {"socket": os.path.join(self.dir, "d.sock"), "auditLog": os.path.join(self.dir, "audit.log"),
                  "origins": [{"pattern": SW, "login": True, "sign": True, "sendPin": True}],
                  "usbKeys": dict(usb_keys, p11KitRegistry=False)}
        cfg = os.path.join(self.dir, "config.json")
        with open(cfg, "w") as f:
            json.dump(config, f)
        self.log = os.path.join(self.dir, "daemon.log")
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen([args.daemon, "--config", cfg, "--port", "0"], stdout=out,
                                            stderr=out, env=dict(os.environ, **env, **NO_PCSCD))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with open(self.log, "rb") as f:
                m = re.search(rb"listening on ws://127\.0\.0\.1:(\d+)", f.read())
            if m:
                self.port = int(m.group(1))
                return
            time.sleep(0.05)
        raise Fatal("cardbridged did not start: %s" % open(self.log, errors="replace").read())

    def stop(self):
        self.process.terminate()
        self.process.wait(10)
        T.check(self.process.returncode == 0, "cardbridged exited %s on SIGTERM" % self.process.returncode)


async def key_checks(crypto, daemon, alg, pin, cert_der, cert_no, retries=None):
    """What the portal's legacy pages do with a key: its certNo and certificate, a signature the
    certificate verifies, and a wrong PIN's answer."""
    conn = await LegacyConnection.open("ws://127.0.0.1:%d/" % daemon.port, SW, timeout=3)
    s = Session(conn, SW)
    await wait_for_card(s, cert_no, "the key listed")
    d = await s.ok("cus-sec_SpcGetCertNo", {})
    T.check(d == [cert_no], "SpcGetCertNo: %r, expected %r" % (d, cert_no))
    d = await s.ok("cus-sec_SpcGetSignCertAsPEM", {})
    T.check(d and b64d(d[0]) == cert_der, "SpcGetSignCertAsPEM is not the key's certificate: %s" % short(d))
    pub = crypto.pubkey(cert_der)
    message = "报关单 declaration on a USB key".encode()
    d = await s.ok("cus-sec_SpcSignDataAsPEM", {"inData": message.decode(), "passwd": pin})
    sig = b64d(d[0]) if d else None
    T.check(d and d[1:] == [cert_no], "SpcSignDataAsPEM: Data[1] is not the certNo: %s" % short(d))
    T.check(sig is not None and crypto.verify(alg, pub, message, sig),
            "openssl does not verify SpcSignDataAsPEM's %s signature over the data" % alg)
    T.check(sig is None or not crypto.verify(alg, pub, message + b" ", sig),
            "openssl accepted the signature over changed data: the check is broken")
    wrong = await s.raw("cus-sec_SpcVerifyPIN", {"passwd": WRONG})
    error = (wrong.get("_args") or {}).get("Error") or ["", ""]
    T.check(error[1:] == ["Err:Custom59001"], "a wrong PIN: %s, expected 59001" % short(wrong))
    if retries is not None:
        T.check("还可以尝试%d次" % retries in error[0], "a wrong PIN does not say %d tries are left: %r"
                % (retries, error[0]))
    T.check(await s.ok("cus-sec_SpcVerifyPIN", {"passwd": pin}) == [], "the right PIN is not accepted")
    await conn.close()


async def run(args, tmp, crypto):
    pki = args.pki
    sm2 = os.path.join(pki, "cards/trade-legal-sm2")
    store = os.path.join(tmp, "skf")
    cli = [args.soft_skf_cli, "--store", store]
    os.makedirs(store)
    command(*cli, "create", "EPORT-KEY-1", "--serial", "CBSKF0001")
    command(*cli, "import", "EPORT-KEY-1", "--container", "SIGN", "--sign-key", os.path.join(sm2, "9c.key.pem"),
        "--sign-cert", os.path.join(sm2, "9c.crt.der"))
    with open(os.path.join(sm2, "9c.crt.der"), "rb") as f:
        sm2_der = f.read()
    T.section = "SKF key, SM2"
    d = Daemon(args, tmp, "daemon-skf", {"skf": [args.soft_skf_lib]}, {"CARDBRIDGE_SOFT_SKF_STORE": store})
    try:
        await key_checks(crypto, d, "sm2", SKF_PIN, sm2_der, serial_hex(crypto, sm2_der, 16), retries=2)
    finally:
        d.stop()

    # One SoftHSM token at a time: each run of the script makes both, one is deleted.
    # Crypto.verify's "rsa1024" is any RSA key with SHA-1, what the legacy API signs RSA with.
    for label, other, alg in (("cardbridge RSA", "cardbridge P-256", "rsa1024"),
                              ("cardbridge P-256", "cardbridge RSA", "p256")):
        T.section = "PKCS#11 token, " + label
        hsm = os.path.join(tmp, label.replace(" ", "-"))
        command(args.softhsm_tokens, hsm, pki)
        env = {"SOFTHSM2_CONF": os.path.join(hsm, "softhsm2.conf")}
        command("softhsm2-util", "--delete-token", "--token", other, env=dict(os.environ, **env))
        der = certificate_on(hsm, label)
        d = Daemon(args, tmp, "hsm-" + alg, {"pkcs11": [SOFTHSM]}, env)
        try:
            width = 8 if alg == "rsa1024" else 16
            await key_checks(crypto, d, alg, HSM_PIN, der, serial_hex(crypto, der, width))
        finally:
            d.stop()


def serial_hex(crypto, der, width):
    """The certNo docs/LEGACY.md promises: the serial in lower-case hex, zero-padded."""
    p = crypto.openssl("x509", "-inform", "der", "-noout", "-serial", data=der)
    return p.stdout.decode().strip().split("=", 1)[1].lower().zfill(width)


def certificate_on(hsm, label):
    """The copy tests/harness/softhsm-tokens keeps of the certificate on token `label`."""
    name = {"cardbridge RSA": "rsa.crt.der", "cardbridge P-256": "p256.crt.der"}[label]
    with open(os.path.join(hsm, name), "rb") as f:
        return f.read()


def main():
    ap = argparse.ArgumentParser()
    for option in ("--daemon", "--pki", "--soft-skf-lib", "--soft-skf-cli", "--softhsm-tokens"):
        ap.add_argument(option, required=True)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="usb-keys.")
    os.chmod(tmp, 0o700)
    try:
        asyncio.run(asyncio.wait_for(run(args, tmp, Crypto(tmp)), 60))
    except Fatal as e:
        T.failed.append("[%s] FATAL %s" % (T.section, e))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("usb_keys: %d passed, %d failed" % (T.passed, len(T.failed)))
    for failure in T.failed:
        print("  " + failure)
    sys.exit(1 if T.failed else 0)


if __name__ == "__main__":
    main()
