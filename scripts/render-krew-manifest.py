#!/usr/bin/env python3
"""Renders the krew manifest template (.krew.yaml) for one release tag.

The template follows krew-release-bot's convention, so the bot can also submit it to
krew-index: `{{ .TagName }}` is the tag, and each platform's

    {{addURIAndSha "https://…/releases/download/{{ .TagName }}/NAME.tar.gz" .TagName }}

becomes `uri: <the url>` and, on the next line at the same indentation, `sha256: <hex>`. The bot
hashes the uploaded asset; this script hashes the archive NAME.tar.gz found among ARCHIVES
(files, or directories holding them) before anything is uploaded.

A platform whose archive is missing is an error, unless --only-built is given: then that
platform's entry is left out (the committed krew-manifest.yaml describes the archives one
machine can build; the release workflow renders all five). Any other template action is an
error, so nothing unrendered can reach a manifest.

Usage: scripts/render-krew-manifest.py --tag TAG [--only-built] [--output FILE] TEMPLATE ARCHIVES...
See docs/RELEASING.md.
"""

import argparse
import hashlib
import os
import re
import sys
import tempfile

TAG_ACTION = re.compile(r"\{\{\s*\.TagName\s*\}\}")
URI_ACTION = re.compile(r'^(?P<indent>\s*)\{\{\s*addURIAndSha\s+"(?P<url>[^"]+)"\s+\.TagName\s*\}\}\s*$')
ANY_ACTION = re.compile(r"\{\{.*?\}\}")
TAG_SYNTAX = re.compile(r"^v[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]+)?$")


class RenderError(Exception):
    pass


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def find_archive(name, places):
    for place in places:
        if os.path.isdir(place):
            candidate = os.path.join(place, name)
            if os.path.isfile(candidate):
                return candidate
        elif os.path.basename(place) == name and os.path.isfile(place):
            return place
    return None


def split_platforms(lines):
    """Returns (head, items, tail): the lines before the first platform entry, one list of
    lines per entry of `platforms:`, and the lines after the last entry."""
    start = next((i for i, l in enumerate(lines) if re.match(r"^\s*platforms:\s*$", l)), None)
    if start is None:
        raise RenderError("the template has no platforms: list")
    key_indent = len(lines[start]) - len(lines[start].lstrip())
    i = start + 1
    head, items = lines[: start + 1], []
    item_indent = None
    while i < len(lines):
        line = lines[i]
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        if stripped == "" or stripped.startswith("#"):
            if items:
                items[-1].append(line)
            else:
                head.append(line)
            i += 1
            continue
        if item_indent is None and stripped.startswith("- ") and indent >= key_indent:
            item_indent = indent
        if item_indent is not None and indent == item_indent and stripped.startswith("- "):
            items.append([line])
        elif item_indent is not None and indent > item_indent and items:
            items[-1].append(line)
        else:
            break
        i += 1
    if not items:
        raise RenderError("the template's platforms: list is empty")
    return head, items, lines[i:]


def label(item, key):
    for line in item:
        m = re.match(r"^\s*%s:\s*(\S+)\s*$" % key, line)
        if m:
            return m.group(1)
    return "?"


def render_item(item, tag, places, only_built, built):
    """The entry with its addURIAndSha action filled in, or None when its archive is missing
    and only_built is set."""
    platform = "%s/%s" % (label(item, "os"), label(item, "arch"))
    out, actions = [], 0
    for line in item:
        m = URI_ACTION.match(line)
        if not m:
            out.append(line)
            continue
        actions += 1
        url = TAG_ACTION.sub(tag, m.group("url"))
        if "{{" in url:
            raise RenderError("%s: unsupported action in the url %s" % (platform, m.group("url")))
        name = url.rsplit("/", 1)[-1]
        archive = find_archive(name, places)
        if archive is None:
            if only_built:
                return None
            raise RenderError(
                "%s: no archive %s in %s (build it on that platform with scripts/release.sh, "
                "or pass --only-built to leave the platform out)" % (platform, name, " ".join(places))
            )
        indent = m.group("indent")
        out.append("%suri: %s\n" % (indent, url))
        out.append("%ssha256: %s\n" % (indent, sha256_of(archive)))
        built.append("%s (%s)" % (platform, archive))
    if actions != 1:
        raise RenderError("%s: wants one addURIAndSha action, has %d" % (platform, actions))
    return out


def render(template_text, tag, places, only_built, template_name):
    if not TAG_SYNTAX.match(tag):
        raise RenderError("tag %r is not v<semantic version>" % tag)
    lines = template_text.splitlines(keepends=True)
    # The template's own leading comment says how to edit the template; the output says how
    # it was made instead.
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    head, items, tail = split_platforms(lines)
    built = []
    rendered = [r for r in (render_item(i, tag, places, only_built, built) for i in items) if r]
    if not rendered:
        raise RenderError("no platform has an archive in %s" % " ".join(places))
    body = "".join(head + [l for r in rendered for l in r] + tail)
    body = TAG_ACTION.sub(tag, body)
    leftover = ANY_ACTION.search(body)
    if leftover:
        raise RenderError("unsupported template action %s" % leftover.group(0))
    header = (
        "# Generated from %s by scripts/render-krew-manifest.py for %s: do not edit.\n"
        "# Edit %s and run scripts/release.sh instead (docs/RELEASING.md).\n"
        % (template_name, tag, template_name)
    )
    return header + body, built


def main():
    parser = argparse.ArgumentParser(
        description="Render the krew manifest template for a release tag.",
        epilog="See docs/RELEASING.md.",
    )
    parser.add_argument("--tag", required=True, help="the release tag, v<version>")
    parser.add_argument(
        "--only-built",
        action="store_true",
        help="leave out the platforms whose archive is missing (default: an error)",
    )
    parser.add_argument("--output", "-o", help="write here (default: stdout)")
    parser.add_argument("template", help="the template, .krew.yaml")
    parser.add_argument("archives", nargs="+", help="archives, or directories holding them")
    args = parser.parse_args()

    try:
        with open(args.template, encoding="utf-8") as f:
            text = f.read()
        rendered, built = render(
            text, args.tag, args.archives, args.only_built, os.path.basename(args.template)
        )
    except (RenderError, OSError) as e:
        print("render-krew-manifest: %s" % e, file=sys.stderr)
        return 1

    if args.output:
        directory = os.path.dirname(os.path.abspath(args.output))
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".krew-manifest.")
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(rendered)
        os.chmod(tmp, 0o644)
        os.replace(tmp, args.output)
    else:
        sys.stdout.write(rendered)
    for b in built:
        print("render-krew-manifest: %s" % b, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
