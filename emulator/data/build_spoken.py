#!/usr/bin/env python3
"""Builds spoken.json, the emulator's shows, episodes, audiobooks and chapters, from recorded
Spotify answers.

Usage: build_spoken.py FIXTURES_DIR > spoken.json

Every episode recorded with its show (Get Episode, several episodes, saved episodes, playlist
items, the queue, playback state) is filed under that show; the two recorded episode pages
(Get Show, Get Show Episodes) under theirs. Chapters come from the recorded audiobook and its
chapter page, and from Get Chapter. Shows and audiobooks known only from search results are
kept too, without episodes or chapters. Each distinct `available_markets` list is stored once, in `market_lists`, and objects name it by
index.
The browse categories are the recorded ones, and the markets every market any recorded answer
names.

Recordings give episodes for four shows and chapters for one audiobook; a client's tests need
more (five shows with episodes, three audiobooks with chapters). For those, and only those,
the children are made up in the recorded shape, named in `made_up` so that nobody mistakes
them for recordings: the episodes of one recorded show and the chapters of two recorded
audiobooks, as many as their recorded `total_episodes` and `total_chapters` say, with IDs
drawn from a hash of the parent's ID (stable from build to build). Everything else is recorded.
"""
import hashlib
import json
import os
import sys

from recorded import load, market_lists, strip


def main(d):
    shows, episodes, show_episodes = {}, {}, {}
    audiobooks, chapters, book_chapters = {}, {}, {}

    def add_show(show):
        show = strip(show)
        show.pop("episodes", None)
        shows.setdefault(show["id"], show)

    def add_episode(episode, show_id=None):
        if not episode or episode.get("type") != "episode" or not episode.get("id"):
            return
        episode = strip(episode)
        show = episode.pop("show", None)
        if show:
            add_show(show)
            show_id = show["id"]
        episodes.setdefault(episode["id"], episode)
        if show_id:
            ids = show_episodes.setdefault(show_id, [])
            if episode["id"] not in ids:
                ids.append(episode["id"])

    full_show = load(d, "show_java")
    add_show(full_show)
    for e in full_show["episodes"]["items"]:
        add_episode(e, full_show["id"])
    page = load(d, "show_episodes_java")
    show_id = page["href"].split("/shows/")[1].split("/")[0]
    for e in page["items"]:
        add_episode(e, show_id)
    add_episode(load(d, "episode_java"))
    for e in load(d, "episodes_several_java")["episodes"]:
        add_episode(e)
    for item in load(d, "library_saved_episodes_java")["items"]:
        add_episode(item["episode"])
    for item in load(d, "playlist_items_episode_java")["items"]:
        add_episode(item.get("track") or item.get("item"))
    for item in load(d, "player_queue_java")["queue"] + [load(d, "player_queue_java")["currently_playing"]]:
        add_episode(item)
    for name in ["player_state_episode_java", "player_currently_playing_episode_java"]:
        add_episode(load(d, name).get("item"))
    search = load(d, "search_all_types_2025")
    for show in search["shows"]["items"]:
        if show:
            add_show(show)

    def add_book(book):
        book = strip(book)
        book.pop("chapters", None)
        audiobooks.setdefault(book["id"], book)

    def add_chapter(chapter, book_id):
        chapter = strip(chapter)
        book = chapter.pop("audiobook", None)
        if book:
            add_book(book)
            book_id = book["id"]
        chapters.setdefault(chapter["id"], chapter)
        ids = book_chapters.setdefault(book_id, [])
        if chapter["id"] not in ids:
            ids.append(chapter["id"])

    book = load(d, "audiobook_jl")
    add_book(book)
    for c in book["chapters"]["items"]:
        add_chapter(c, book["id"])
    page = load(d, "audiobook_chapters_jl")
    book_id = page["href"].split("/audiobooks/")[1].split("/")[0]
    for c in page["items"]:
        add_chapter(c, book_id)
    add_chapter(load(d, "chapter_jl"), None)
    for b in load(d, "library_saved_audiobooks_jl")["items"]:
        add_book(b)
    for b in search["audiobooks"]["items"]:
        if b:
            add_book(b)

    made_up = {"episodes_of": [], "chapters_of": []}

    def made_up_id(parent, n):
        digest = int.from_bytes(hashlib.sha256(f"{parent}/{n}".encode()).digest(), "big")
        alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
        out = ""
        for _ in range(22):
            digest, r = divmod(digest, 62)
            out += alphabet[r]
        return out

    # Shows with recorded episodes, and those with a show object too: made-up episodes for the
    # recorded show with the fewest episodes until five shows have episodes.
    with_episodes = [s for s in show_episodes if s in shows]
    for show in sorted(shows.values(), key=lambda s: (s.get("total_episodes") or 10**9, s["id"])):
        if len(with_episodes) >= 5:
            break
        if show["id"] in show_episodes or not show.get("total_episodes"):
            continue
        ids = []
        for n in range(show["total_episodes"]):
            eid = made_up_id(show["id"], n)
            day = 28 - n % 28
            episodes[eid] = {
                "audio_preview_url": None,
                "description": f"Episode {show['total_episodes'] - n} of {show['name']}.",
                "duration_ms": 1_200_000 + 60_000 * (n % 20),
                "explicit": False,
                "external_urls": {"spotify": f"https://open.spotify.com/episode/{eid}"},
                "href": f"https://api.spotify.com/v1/episodes/{eid}",
                "id": eid,
                "images": show.get("images", []),
                "is_externally_hosted": False,
                "is_playable": True,
                "language": (show.get("languages") or ["en"])[0],
                "languages": show.get("languages") or ["en"],
                "name": f"Episode {show['total_episodes'] - n}",
                "release_date": f"2024-{12 - n // 28:02d}-{day:02d}",
                "release_date_precision": "day",
                "type": "episode",
                "uri": f"spotify:episode:{eid}",
            }
            ids.append(eid)
        show_episodes[show["id"]] = ids
        with_episodes.append(show["id"])
        made_up["episodes_of"].append(show["id"])

    # The same for audiobooks, until three have chapters.
    with_chapters = [b for b in book_chapters if b in audiobooks]
    for book in sorted(audiobooks.values(), key=lambda b: (b.get("total_chapters") or 10**9, b["id"])):
        if len(with_chapters) >= 3:
            break
        if book["id"] in book_chapters or not book.get("total_chapters"):
            continue
        ids = []
        for n in range(book["total_chapters"]):
            cid = made_up_id(book["id"], n)
            chapter = {
                "audio_preview_url": None,
                "chapter_number": n,
                "description": f"Chapter {n + 1} of {book['name']}.",
                "duration_ms": 600_000 + 30_000 * (n % 10),
                "explicit": book.get("explicit", False),
                "external_urls": {"spotify": f"https://open.spotify.com/episode/{cid}"},
                "href": f"https://api.spotify.com/v1/chapters/{cid}",
                "html_description": f"Chapter {n + 1} of {book['name']}.",
                "id": cid,
                "images": book.get("images", []),
                "languages": book.get("languages", []),
                "name": f"Chapter {n + 1}",
                "release_date": "2020-01-01",
                "release_date_precision": "day",
                "resume_point": {"fully_played": False, "resume_position_ms": 0},
                "type": "chapter",
                # Spotify names chapters as episodes in their URIs (as recorded).
                "uri": f"spotify:episode:{cid}",
            }
            if "available_markets" in book:
                chapter["available_markets"] = book["available_markets"]
            chapters[cid] = chapter
            ids.append(cid)
        book_chapters[book["id"]] = ids
        with_chapters.append(book["id"])
        made_up["chapters_of"].append(book["id"])

    # The browse categories recorded, and every market any recorded answer names.
    categories = load(d, "browse_categories_java")["categories"]["items"]
    markets = set()

    def collect(obj):
        if isinstance(obj, dict):
            for k, v in obj.items():
                if k == "available_markets" and isinstance(v, list):
                    markets.update(m for m in v if isinstance(m, str))
                else:
                    collect(v)
        elif isinstance(obj, list):
            for v in obj:
                collect(v)

    for name in sorted(os.listdir(d)):
        if name.endswith(".json"):
            with open(os.path.join(d, name)) as f:
                collect(json.load(f))

    json.dump({"shows": list(shows.values()), "episodes": list(episodes.values()),
               "show_episodes": show_episodes, "audiobooks": list(audiobooks.values()),
               "chapters": list(chapters.values()), "audiobook_chapters": book_chapters,
               "categories": categories, "markets": sorted(markets),
               "market_lists": market_lists(), "made_up": made_up},
              sys.stdout, separators=(",", ":"), ensure_ascii=False, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
