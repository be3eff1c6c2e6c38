#!/usr/bin/env python3
"""Rebuild an addon's README.rst (OCA layout) from its readme/*.md fragments.

Usage: .venv/bin/python setup/md2readme.py ADDON_DIR [OUTPUT]
(OUTPUT defaults to ADDON_DIR/README.rst, "-" for stdout)

Supported markdown: paragraphs, **bold**, *italic*, `code`, bullet ("- ", "* ")
and numbered ("1. ") lists with nesting, "#"-headings inside a fragment
("###" -> a subsection of the fragment's section).
"""

import ast
import os
import re
import sys

BADGE = """.. |badge1| image:: https://img.shields.io/badge/licence-AGPL--3-blue.png
   :target: http://www.gnu.org/licenses/agpl-3.0-standalone.html
   :alt: License: AGPL-3

|badge1|"""

ITEM = re.compile(r"^(\s*)([-*]|\d+\.)\s+")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
# heading levels below a section (=): "-" then "~" then "^"
SUB_UNDERLINES = {3: "-", 4: "~", 5: "^", 2: "-", 1: "-", 6: "^"}


def inline(text):
    """Markdown inline markup -> RST inline markup."""
    # `code` -> ``code`` (protect the literals from further processing)
    literals = []

    def keep(match):
        literals.append("``" + match.group(1) + "``")
        return "\x00%d\x00" % (len(literals) - 1)

    text = re.sub(r"`([^`\n]+)`", keep, text)
    # **bold** and *italic* are the same in RST
    text = re.sub(r"\x00(\d+)\x00", lambda m: literals[int(m.group(1))], text)
    return text


def fix_boundaries(text):
    """Insert '\\ ' where inline markup touches a word character."""
    out = []
    pattern = re.compile(r"``.+?``|\*\*.+?\*\*|\*[^*\s](?:.*?[^*\s])?\*", re.S)
    pos = 0
    for match in pattern.finditer(text):
        start, end = match.span()
        out.append(text[pos:start])
        if start > 0 and re.match(r"[^\W_]", text[start - 1]):
            out.append("\\ ")
        out.append(match.group(0))
        if end < len(text) and re.match(r"[^\W_]", text[end]):
            out.append("\\ ")
        pos = end
    out.append(text[pos:])
    return "".join(out)


def convert(md):  # noqa: C901 (one pass over the lines, one branch per markdown form)
    """Markdown fragment -> RST body."""
    lines = md.rstrip("\n").split("\n")
    out = []
    stack = []  # indents of the list items that are open

    def blank_before():
        if out and out[-1] != "":
            out.append("")

    for line in lines:
        if not line.strip():
            if out and out[-1] != "":
                out.append("")
            continue
        heading = HEADING.match(line)
        if heading:
            stack.clear()
            title = inline(heading.group(2))
            blank_before()
            out.append(title)
            out.append(SUB_UNDERLINES[len(heading.group(1))] * len(title))
            out.append("")
            continue
        indent = len(line) - len(line.lstrip())
        item = ITEM.match(line)
        if item:
            if stack and indent > stack[-1]:
                blank_before()  # a nested list starts
                stack.append(indent)
            elif stack and indent < stack[-1]:
                while stack and indent < stack[-1]:
                    stack.pop()
                blank_before()  # a nested list ends
                if not stack or stack[-1] != indent:
                    stack.append(indent)
            elif not stack:
                blank_before()
                stack.append(indent)
        elif stack:
            # text: continuation of the item it is indented under, or a dedent
            popped = False
            while stack and indent <= stack[-1]:
                stack.pop()
                popped = True
            if popped:
                blank_before()
        out.append(line.rstrip())
    while out and out[-1] == "":
        out.pop()
    return fix_boundaries(inline("\n".join(out)))


def read(path):
    if not os.path.exists(path):
        return ""
    with open(path, encoding="utf-8") as f:
        return f.read()


def section(title, char, body):
    return f"{title}\n{char * len(title)}\n\n{body}\n"


def build(addon):
    with open(os.path.join(addon, "__manifest__.py"), encoding="utf-8") as f:
        manifest = ast.literal_eval(f.read())
    name = manifest["name"]
    rule = "=" * len(name)
    parts = [f"{rule}\n{name}\n{rule}\n"]
    if manifest.get("summary"):
        parts.append(manifest["summary"].strip() + "\n")
    parts.append(BADGE + "\n")
    parts.append("**Table of contents**\n\n.. contents::\n   :local:\n")
    readme = os.path.join(addon, "readme")
    description = read(os.path.join(readme, "DESCRIPTION.md"))
    if description.strip():
        parts.append(convert(description) + "\n")
    for fragment, title in (("CONFIGURE.md", "Configuration"), ("USAGE.md", "Usage")):
        body = read(os.path.join(readme, fragment))
        if body.strip():
            parts.append(section(title, "=", convert(body)))
    credits = ["Credits\n=======\n"]
    authors = [a.strip() for a in manifest.get("author", "").split(",") if a.strip()]
    if authors:
        credits.append(section("Authors", "-", "\n".join("* " + a for a in authors)))
    contributors = read(os.path.join(readme, "CONTRIBUTORS.md"))
    if contributors.strip():
        credits.append(section("Contributors", "-", convert(contributors)))
    parts.append("\n".join(credits))
    return "\n".join(parts)


def main():
    addon = sys.argv[1]
    target = sys.argv[2] if len(sys.argv) > 2 else os.path.join(addon, "README.rst")
    text = build(addon)
    if target == "-":
        sys.stdout.write(text)
    else:
        with open(target, "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    main()
