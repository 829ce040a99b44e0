"""What build_catalog.py and build_spoken.py share: reading a recorded answer, and storing each
distinct `available_markets` list once (objects name it by its index in `market_lists()`; the
emulator expands them when it loads the file)."""
import json
import os

MARKET_LISTS = {}


def load(d, name):
    with open(os.path.join(d, name + ".json")) as f:
        return json.load(f)


def strip(obj):
    """The object with each `available_markets` list replaced by its index in MARKET_LISTS."""
    if isinstance(obj, dict):
        return {k: market_list(v) if k == "available_markets" else strip(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [strip(v) for v in obj]
    return obj


def market_list(markets):
    if not isinstance(markets, list):
        return markets
    return MARKET_LISTS.setdefault(tuple(markets), len(MARKET_LISTS))


def market_lists():
    return [list(m) for m, _ in sorted(MARKET_LISTS.items(), key=lambda e: e[1])]
