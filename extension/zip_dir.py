#!/usr/bin/env python3
"""zip_dir.py DIR OUT: DIR's files into the zip archive OUT, DIR's top level at the archive's root.

The same tree always gives the same bytes (sorted names, one fixed timestamp, fixed modes), so
the package is reproducible and an archive can be compared with the one it replaces.
"""
import os
import sys
import zipfile

# The earliest time a zip entry can carry.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def files_under(top):
    for parent, dirs, files in os.walk(top):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(parent, name)
            yield path, os.path.relpath(path, top).replace(os.sep, "/")


def main():
    if len(sys.argv) != 3 or not os.path.isfile(os.path.join(sys.argv[1], "manifest.json")):
        sys.exit("usage: zip_dir.py DIR OUT (DIR holds an unpacked extension: DIR/manifest.json)")
    top, out = sys.argv[1], sys.argv[2]
    entries = sorted(files_under(top), key=lambda entry: entry[1])
    temporary = out + ".new"
    with zipfile.ZipFile(temporary, "w") as archive:
        for path, name in entries:
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.create_system = 3  # Unix, so that the modes below are read
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as source:
                archive.writestr(info, source.read(), compresslevel=9)
    os.replace(temporary, out)


if __name__ == "__main__":
    main()
