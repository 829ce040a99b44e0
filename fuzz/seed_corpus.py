#!/usr/bin/env python3
"""Seeds fuzz/corpus/<target>/ from the recorded answers in core/tests/fixtures.

Run from the repository root: python3 fuzz/seed_corpus.py. The corpus is committed; cargo fuzz
adds to it, and the core's test suite replays it on stable Rust.
"""
import glob
import hashlib
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "core", "tests", "fixtures")
CORPUS = os.path.join(ROOT, "fuzz", "corpus")


def put(target, data):
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def fixtures(pattern):
    for path in sorted(glob.glob(os.path.join(FIXTURES, pattern))):
        with open(path, "rb") as f:
            yield f.read()


for data in fixtures("artist_*.json"):
    put("parse_artist", data)
for data in fixtures("album_*.json"):
    put("parse_album", data)
for data in list(fixtures("track_*.json")) + list(fixtures("linked_*.json")):
    put("parse_track", data)
for data in list(fixtures("playlist_*.json")) + list(fixtures("playlists_*.json")):
    put("parse_playlist", data)
for text in ["smedjan", "spotify:user:smedjan", "https://open.spotify.com/user/a%2Fb", "a/b",
             "spotify:track:6rqhFgbbKwnb9MLmUQDhG6", "spotify:episode:512ojhOuo1ktJprKbVcKyQ",
             "spotify:local:a:b:c:180"]:
    put("parse_playlist", text.encode())
for data in (list(fixtures("library_*.json")) + list(fixtures("paging_cursor_*.json"))
             + list(fixtures("player_recently_*.json"))):
    put("parse_library", data)
for text in ["2017-05-27T20:07:54.721Z", "2024-12-14T13:23:53Z", "1969-12-31T23:59:59.999999999Z",
             "2024-02-30T00:00:00Z", "spotify:user:smedjan", "spotify:audiobook:7iHfbu1YPACw6oZPAFJtqe"]:
    put("parse_library", text.encode())
for data in list(fixtures("player_*.json")) + list(fixtures("error_regular_403_*.json")):
    put("parse_player", data)
put("parse_player", b'{"error":{"status":404,"message":"Player command failed: No active device found","reason":"NO_ACTIVE_DEVICE"}}')
put("parse_player", b'{"timestamp":1,"is_playing":true,"item":null,"currently_playing_type":"ad"}')
for pattern in ["show_*.json", "episode*.json", "audiobook_*.json", "chapter_*.json", "browse_*.json"]:
    for data in fixtures(pattern):
        put("parse_spoken", data)
for text in ["spotify:episode:0bnJ1qcNgHwwPWbDJAia57", "https://open.spotify.com/chapter/0bnJ1qcNgHwwPWbDJAia57",
             '{"id":"0bnJ1qcNgHwwPWbDJAia57","name":"c","release_date":"0000","release_date_precision":"year"}',
             '{"seeds":[{"id":"rock","type":"GENRE","afterFilteringSize":250}],"tracks":[]}',
             '{"id":"6rqhFgbbKwnb9MLmUQDhG6","tempo":118.2,"key":5,"energy":0.8}',
             '{"message":"Monday morning","playlists":{"items":[null],"total":1}}']:
    put("parse_spoken", text.encode())
for data in fixtures("search_*.json"):
    put("parse_search", data)
for data in list(fixtures("paging_*.json")) + list(fixtures("search_artist*.json")):
    put("parse_page", data)
for data in fixtures("token_*.json"):
    put("parse_token", data)
for i, data in enumerate(fixtures("error_*.json")):
    put("parse_error", bytes([0, i % 200]) + data)
put("parse_error", b"\x00\x66<html><h1>502 Bad Gateway</h1></html>")
put("parse_error", b"\x00\x1d")
put("parse_user", b'{"id":"wizzler","display_name":null,"images":null,"followers":{"href":null,"total":3}}')
put("parse_user", b'{"id":"emulator-user","country":"SE","email":"user@emulator.test","product":"premium"}')
for text in [
    "4Z8W4fKeB5YxbusRsdQVPb",
    "spotify:artist:4Z8W4fKeB5YxbusRsdQVPb",
    "https://open.spotify.com/intl-de/artist/4Z8W4fKeB5YxbusRsdQVPb?si=abc",
    "https://open.spotify.com/track/6rqhFgbbKwnb9MLmUQDhG6/",
    "spotify:album:6akEvsycLGftJxYudPjmqK",
    "../../me/player",
    "",
]:
    put("parse_id", text.encode())
for text in [
    "http://127.0.0.1:8888/callback?code=AQ%2Bc&state=st8",
    "http://127.0.0.1:8888/callback?error=access_denied&state=st8",
    "http://127.0.0.1:8888/callback?code=x&state=other",
    "myapp://cb?state=st8&code=&code=y#frag",
]:
    put("parse_callback_url", text.encode())
for seed in [b"", b"\x03\x10\x07\x02" + bytes(range(64)), bytes([4, 20, 1, 3]) + bytes([5, 9, 4, 7] * 30), bytes([2, 5, 9, 1]) + bytes([9, 0, 1, 6] * 40)]:
    put("session", seed)
