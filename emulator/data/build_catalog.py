#!/usr/bin/env python3
"""Builds catalog.json, the emulator's bundled catalog, from recorded Spotify answers.

Usage: build_catalog.py FIXTURES_DIR > catalog.json

FIXTURES_DIR holds the recorded answers (the shared fixture set whose provenance is listed in
core/tests/fixtures/SOURCES.md). Artists come from the artist, related-artists, several-artists
and search answers (Radiohead is the "Getting started" tutorial's answer); albums with their
track lists from the album answers; more tracks from the track, top-tracks and search answers.
Every artist and album that a track or album names is in the catalog: where no full object was
recorded, a slim one is made from the simplified object (no followers, no popularity), which is
also the shape development-mode apps get since 2026. Each distinct `available_markets` list is
stored once, in `market_lists`, and objects name it by index (the lists are most of the size). Albums known only through single tracks have `total_tracks` set to what is known,
so that paging stays consistent.
"""
import json
import sys

from recorded import load, market_lists, strip

SIMPLE_ALBUM = ["album_type", "artists", "external_urls", "href", "id", "images", "name",
                "release_date", "release_date_precision", "total_tracks", "type", "uri"]
SIMPLE_ARTIST = ["external_urls", "href", "id", "name", "type", "uri"]


def main(d):
    artists, albums, tracks, album_tracks = {}, {}, {}, {}
    full_artists = [load(d, "artist_radiohead"), load(d, "artist_band_of_horses"), load(d, "artist_pitbull_2024")]
    full_artists += load(d, "artist_related_artists")["artists"]
    full_artists += load(d, "artists_several")["artists"]
    full_artists += load(d, "search_artists")["artists"]["items"]
    for a in full_artists:
        a = strip(a)
        a["href"] = "https://api.spotify.com/v1/artists/" + a["id"]
        artists.setdefault(a["id"], a)

    def add_artist(simple):
        if simple["id"] not in artists:
            slim = {k: simple[k] for k in SIMPLE_ARTIST if k in simple}
            slim.update(genres=[], images=[])
            artists[simple["id"]] = slim

    def simple_album(album):
        return {k: album[k] for k in SIMPLE_ALBUM if k in album}

    full_albums = [load(d, "album_2026"), load(d, "album_shes_so_unusual")]
    full_albums += load(d, "albums_several_2024")["albums"]
    for album in full_albums:
        album = strip(album)
        items = album.pop("tracks")["items"]
        album["total_tracks"] = len(items)
        albums[album["id"]] = album
        album_tracks[album["id"]] = []
        for a in album["artists"]:
            add_artist(a)
        for t in items:
            t = dict(t, album=simple_album(album))
            tracks[t["id"]] = t
            album_tracks[album["id"]].append(t["id"])
            for a in t["artists"]:
                add_artist(a)

    loose = load(d, "artist_top_tracks_2025")["tracks"] + load(d, "search_tracks")["tracks"]["items"]
    loose += load(d, "tracks_several")["tracks"] + [load(d, "track_timber")]
    for t in loose:
        t = strip(t)
        if t["id"] in tracks:
            continue
        album = t["album"]
        if album["id"] not in albums:
            albums[album["id"]] = dict(simple_album(album), copyrights=[], genres=[], label=None)
            album_tracks[album["id"]] = []
        album_tracks[album["id"]].append(t["id"])
        tracks[t["id"]] = t
        for a in t["artists"] + album.get("artists", []):
            add_artist(a)

    # Albums known only through some of their tracks: say how many are known.
    for album_id, ids in album_tracks.items():
        album = albums[album_id]
        if album.get("label", "") is None:
            del album["label"]
            album["total_tracks"] = len(ids)
            for i, track_id in enumerate(ids):
                tracks[track_id]["album"]["total_tracks"] = len(ids)
                tracks[track_id]["track_number"] = i + 1
                tracks[track_id]["disc_number"] = 1

    json.dump({"artists": list(artists.values()), "albums": list(albums.values()),
               "tracks": list(tracks.values()), "album_tracks": album_tracks,
               "market_lists": market_lists()},
              sys.stdout, separators=(",", ":"), ensure_ascii=False, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
