#!/usr/bin/env python3
"""Writes core/tests/operations.txt from Spotify's OpenAPI description.

Run from the repository root: python3 core/tests/operations.py ../shared/spotify/spotify-openapi.yml
"""
import sys

import yaml

HEADER = """# Every operation of Spotify's Web API description (shared/spotify/spotify-openapi.yml, 97
# operations) with the query parameters and JSON body fields (body:NAME) it declares, and the
# scopes it names (scope:NAME; none for what an app's own token may call): METHOD PATH WORD...
# Derived from the description by core/tests/operations.py; the request-shape test checks that
# no endpoint type sends a parameter its operation does not declare.
"""

description = yaml.safe_load(open(sys.argv[1]))
shared = description.get("components", {}).get("parameters", {})


def resolve(parameter):
    if "$ref" in parameter:
        return shared[parameter["$ref"].split("/")[-1]]
    return parameter


lines = []
for path, item in description["paths"].items():
    common = [resolve(p) for p in item.get("parameters", [])]
    for method, operation in item.items():
        if method not in ("get", "put", "post", "delete"):
            continue
        parameters = common + [resolve(p) for p in operation.get("parameters", [])]
        query = sorted(p["name"] for p in parameters if p.get("in") == "query")
        body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
        keys = sorted(f"body:{k}" for k in body.get("schema", {}).get("properties", {}))
        scopes = sorted(f"scope:{s}" for e in operation.get("security", []) for s in e.get("oauth_2_0", []))
        lines.append(f"{method.upper()} {path} {' '.join(query + keys + scopes)}".rstrip())
with open("core/tests/operations.txt", "w") as out:
    out.write(HEADER + "\n".join(sorted(lines)) + "\n")
