#!/usr/bin/env python3
"""The browser files the package ships (the browser-dist target), as a packager and a browser see them.

  browser_dist_test.py files    DIST KEY   archives, manifests, the exact tree under DIST/root
  browser_dist_test.py chromium DIST KEY   Debian's chromium wrapper loads the extension
  browser_dist_test.py firefox  DIST KEY   Debian's firefox-esr enables the sideloaded add-on

The browser checks lay DIST/root/usr/share over /usr/share with overlayfs in a mount namespace
of their own (as root), so the browsers find the files where the package puts them and nothing
outside the test changes. Without the browser, root or mount namespaces they fail and say so:
a check that did not run is not a check that passed.
"""
import base64
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile

HOST = "/usr/bin/cardbridge-host"
HOST_NAME = "cn.cardbridge.host"
FIREFOX_ID = "cardbridge@cardbridge.invalid"
FIREFOX_APP = "{ec8030f7-c20a-464f-9b0e-13a3a9e97384}"
SHIPPED = "usr/share/cardbridge/extension"
CHROMIUM_MANIFEST_DIRS = ["etc/chromium/native-messaging-hosts",
                          "etc/opt/chrome/native-messaging-hosts",  # Google Chrome and Brave
                          "etc/opt/edge/native-messaging-hosts"]
FIREFOX_MANIFEST_DIR = "usr/lib/mozilla/native-messaging-hosts"
CHROMIUM_LINK = "usr/share/chromium/extensions/cardbridge"
FIREFOX_LINK = f"usr/share/mozilla/extensions/{FIREFOX_APP}/{FIREFOX_ID}.xpi"
DEADLINE = 30  # seconds for a browser to show the extension; it takes 2-8 on an idle machine


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def chromium_id(key_der):
    """The id Chromium gives an extension with this public key: SHA-256, 32 hex digits as a-p."""
    digest = hashlib.sha256(key_der).hexdigest()[:32]
    return "".join(chr(ord("a") + int(digit, 16)) for digit in digest)


def tree(top):
    """Every file and symlink under top, relative; directories only through what they hold."""
    found = set()
    for parent, dirs, files in os.walk(top):
        for name in files + [d for d in dirs if os.path.islink(os.path.join(parent, d))]:
            found.add(os.path.relpath(os.path.join(parent, name), top))
    return found


def check_archive(archive_path, unpacked_dir):
    check(os.path.isfile(archive_path), f"{archive_path} is missing")
    with zipfile.ZipFile(archive_path) as archive:
        check(archive.testzip() is None, f"{archive_path} is corrupt")
        names = archive.namelist()
        check(names == sorted(names), f"{archive_path}: entries are not in a fixed order")
        for info in archive.infolist():
            check(info.date_time == (1980, 1, 1, 0, 0, 0),
                  f"{archive_path}: {info.filename} carries a build time {info.date_time}")
        check("manifest.json" in names, f"{archive_path} has no manifest.json at its root")
        check(set(names) == tree(unpacked_dir),
              f"{archive_path} and {unpacked_dir} differ: {sorted(set(names) ^ tree(unpacked_dir))}")
        for name in names:
            with open(os.path.join(unpacked_dir, name), "rb") as unpacked:
                check(archive.read(name) == unpacked.read(),
                      f"{archive_path}: {name} differs from the installed copy")
        return json.loads(archive.read("manifest.json"))


def check_host_manifest(path, allowed_key, allowed):
    check(os.path.isfile(path), f"{path} is missing")
    with open(path, encoding="utf-8") as file:
        manifest = json.load(file)
    check(manifest.get("name") == HOST_NAME, f"{path}: name is {manifest.get('name')!r}")
    check(manifest.get("path") == HOST, f"{path}: path is {manifest.get('path')!r}, not {HOST}")
    check(manifest.get("type") == "stdio", f"{path}: type is {manifest.get('type')!r}")
    check(manifest.get(allowed_key) == allowed,
          f"{path}: {allowed_key} is {manifest.get(allowed_key)!r}, not {allowed!r}")


def check_link(root, link, target):
    path = os.path.join(root, link)
    check(os.path.islink(path), f"{link} is not a symlink")
    check(not os.path.isabs(os.readlink(path)),
          f"{link} points at an absolute path: it would not resolve inside the package tree")
    check(os.path.realpath(path) == os.path.realpath(os.path.join(root, target)),
          f"{link} resolves to {os.path.realpath(path)}, not /{target}")


def run_files(dist, key_der):
    root = os.path.join(dist, "root")
    extension_id = chromium_id(key_der)
    chromium = check_archive(os.path.join(dist, "cardbridge-chromium.zip"),
                             os.path.join(root, SHIPPED, "chromium"))
    check(chromium.get("key") == base64.b64encode(key_der).decode(),
          "the Chromium manifest's key is not extension/key.pub.der")
    check(chromium.get("background", {}).get("service_worker") == "service_worker.js",
          "the Chromium manifest has no service worker")
    firefox = check_archive(os.path.join(dist, "cardbridge-firefox.xpi"),
                            os.path.join(root, SHIPPED, "firefox"))
    gecko_id = firefox.get("browser_specific_settings", {}).get("gecko", {}).get("id")
    check(gecko_id == FIREFOX_ID, f"the Firefox add-on id is {gecko_id!r}, not {FIREFOX_ID}")
    for name in ("cardbridge-chromium.zip", "cardbridge-firefox.xpi"):
        with open(os.path.join(dist, name), "rb") as built, \
                open(os.path.join(root, SHIPPED, name), "rb") as shipped:
            check(built.read() == shipped.read(), f"/{SHIPPED}/{name} is not {dist}/{name}")

    # Packing the installed tree again gives the same bytes: the archives are reproducible.
    packer = os.path.join(os.path.dirname(__file__), "..", "..", "extension", "zip_dir.py")
    with tempfile.TemporaryDirectory() as scratch:
        again = os.path.join(scratch, "again.zip")
        subprocess.run([sys.executable, packer, os.path.join(root, SHIPPED, "chromium"), again],
                       check=True)
        with open(again, "rb") as repacked, \
                open(os.path.join(dist, "cardbridge-chromium.zip"), "rb") as built:
            check(repacked.read() == built.read(), "packing the same tree twice differs")

    for directory in CHROMIUM_MANIFEST_DIRS:
        check_host_manifest(os.path.join(root, directory, HOST_NAME + ".json"), "allowed_origins",
                            [f"chrome-extension://{extension_id}/"])
    check_host_manifest(os.path.join(root, FIREFOX_MANIFEST_DIR, HOST_NAME + ".json"),
                        "allowed_extensions", [FIREFOX_ID])
    check_link(root, CHROMIUM_LINK, f"{SHIPPED}/chromium")
    check_link(root, FIREFOX_LINK, f"{SHIPPED}/cardbridge-firefox.xpi")

    # Exactly these files: anything else would be installed onto users' systems unreviewed
    # (a policies.json, say, that belongs to the administrator).
    expected = {f"{d}/{HOST_NAME}.json" for d in CHROMIUM_MANIFEST_DIRS + [FIREFOX_MANIFEST_DIR]}
    expected |= {CHROMIUM_LINK, FIREFOX_LINK,
                 f"{SHIPPED}/cardbridge-chromium.zip", f"{SHIPPED}/cardbridge-firefox.xpi"}
    for flavour in ("chromium", "firefox"):
        expected |= {f"{SHIPPED}/{flavour}/{name}"
                     for name in tree(os.path.join(root, SHIPPED, flavour))}
    found = tree(root)
    check(found == expected, f"root/ holds {sorted(found - expected)} more and "
                             f"{sorted(expected - found)} fewer files than the package should")
    print(f"browser-dist: {len(found)} files, Chromium id {extension_id}, Firefox id {gecko_id}")


def overlay_usr_share(root):
    """Called inside the test's own mount namespace: the package's /usr/share over the real one."""
    subprocess.run(["mount", "-t", "overlay", "overlay", "-o",
                    f"lowerdir={os.path.join(root, 'usr/share')}:/usr/share", "/usr/share"],
                   check=True)


def wait_for(what, probe):
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        found = probe()
        if found:
            return found
        time.sleep(0.2)
    raise Failure(f"no {what} after {DEADLINE} s")


def start(command, env=None):
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True, env=env)


def stop(process):
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def inside_chromium(dist, key_der, scratch):
    overlay_usr_share(os.path.join(dist, "root"))
    profile = os.path.join(scratch, "profile")
    # The Debian wrapper, as a user starts it: it reads /etc/chromium.d/ and adds the flags.
    browser = start(["/usr/bin/chromium", "--headless", "--no-sandbox", f"--user-data-dir={profile}",
                     "--remote-debugging-port=0", "about:blank"])
    worker = f"chrome-extension://{chromium_id(key_der)}/service_worker.js"
    try:
        port_file = os.path.join(profile, "DevToolsActivePort")
        port = wait_for("DevTools port", lambda: os.path.isfile(port_file) and
                        open(port_file, encoding="ascii").readline().strip())

        def targets():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list",
                                            timeout=5) as reply:
                    return [t.get("url") for t in json.load(reply)]
            except (OSError, ValueError):
                return []
        wait_for(f"service worker {worker}", lambda: worker in targets())
    except Failure:
        stop(browser)
        sys.stderr.write(browser.stderr.read().decode(errors="replace")[-4000:])
        raise
    stop(browser)
    print(f"chromium loaded {worker} from /{CHROMIUM_LINK}")


def inside_firefox(dist, _key_der, scratch):
    overlay_usr_share(os.path.join(dist, "root"))
    profile = os.path.join(scratch, "profile")
    os.mkdir(profile)
    env = dict(os.environ, HOME=scratch)
    browser = start(["firefox-esr", "--headless", "--no-remote", "--profile", profile,
                     "about:blank"], env)
    database = os.path.join(profile, "extensions.json")

    def ours():
        try:
            with open(database, encoding="utf-8") as file:
                addons = json.load(file)["addons"]
        except (OSError, ValueError, KeyError):
            return None
        return next((a for a in addons if a.get("id") == FIREFOX_ID), None)
    try:
        addon = wait_for(f"{FIREFOX_ID} in {database}", ours)
    finally:
        stop(browser)
    check(addon.get("location") == "app-system-share",
          f"the add-on came from {addon.get('location')}, not /usr/share/mozilla/extensions")
    check(addon.get("active") and not addon.get("userDisabled") and not addon.get("appDisabled"),
          f"the add-on is installed but not enabled: {json.dumps(addon)[:600]}")
    print(f"firefox-esr enabled {FIREFOX_ID} from /{FIREFOX_LINK}")


def run_browser(mode, dist, key_path):
    binary = {"chromium": "/usr/bin/chromium", "firefox": shutil.which("firefox-esr")}[mode]
    if not binary or not os.path.exists(binary):
        print(f"FAIL: no {mode} browser here (scripts/install-deps.sh installs it)", file=sys.stderr)
        return 1
    if os.geteuid() != 0 or subprocess.run(["unshare", "-m", "true"]).returncode != 0:
        print("FAIL: needs root and mount namespaces (unshare -m) to lay the package over /usr",
              file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix=f"cardbridge-{mode}-") as scratch:
        return subprocess.run(["unshare", "-m", "--propagation", "private", sys.executable,
                               __file__, f"inside-{mode}", dist, key_path, scratch]).returncode


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    mode, dist, key_path = sys.argv[1:4]
    with open(key_path, "rb") as file:
        key_der = file.read()
    try:
        if mode == "files":
            run_files(dist, key_der)
        elif mode in ("chromium", "firefox"):
            return run_browser(mode, dist, key_path)
        elif mode == "inside-chromium":
            inside_chromium(dist, key_der, sys.argv[4])
        elif mode == "inside-firefox":
            inside_firefox(dist, key_der, sys.argv[4])
        else:
            sys.exit(__doc__)
    except Failure as failure:
        print(f"FAIL: {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
