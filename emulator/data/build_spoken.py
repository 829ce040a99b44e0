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
names. Nothing is made up: a show or audiobook has the children that were recorded for it.
"""
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
               "market_lists": market_lists()},
              sys.stdout, separators=(",", ":"), ensure_ascii=False, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
