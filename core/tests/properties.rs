//! Properties over generated inputs: IDs, request building, token expiry.

use core::time::Duration;

use proptest::prelude::*;
use spotify_web_core::auth::AccessToken;
use spotify_web_core::endpoint::{
    Endpoint, GetAlbumTracks, GetArtistAlbums, GetTrack, Search, SearchQuery, SearchType,
};
use spotify_web_core::id::{AlbumId, ArtistId, TrackId};
use spotify_web_core::message::Response;
use spotify_web_core::time::Instant;
use spotify_web_core::url::BaseUrl;

/// 22 base-62 characters.
fn valid_id() -> impl Strategy<Value = String> {
    "[0-9A-Za-z]{22}"
}

/// The decoded value of `key` in a URL's query, as the `url` crate (WHATWG) reads it.
fn query_value(url: &str, key: &str) -> Option<String> {
    let url = url::Url::parse(url).ok()?;
    url.query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

/// A URL holds only characters that belong in one: no spaces, no controls, no quotes.
fn clean_url(url: &str) -> bool {
    url.bytes().all(|b| {
        b.is_ascii_graphic()
            && !matches!(
                b,
                b'"' | b'<' | b'>' | b'\\' | b'^' | b'`' | b'{' | b'|' | b'}'
            )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn prop_valid_ids_round_trip_through_id_uri_and_link(raw in valid_id(), intl in "(intl-[a-z]{2}/)?", si in "(\\?si=[A-Za-z0-9_-]{0,16})?") {
        let id: ArtistId = raw.parse().unwrap();
        prop_assert_eq!(id.to_string(), raw.as_str());
        prop_assert_eq!(id.uri().parse::<ArtistId>().unwrap(), id);
        prop_assert_eq!(id.url().parse::<ArtistId>().unwrap(), id);
        let link = format!("https://open.spotify.com/{intl}artist/{raw}{si}");
        prop_assert_eq!(link.parse::<ArtistId>().unwrap(), id);
        // The same characters as another kind are that kind, never this one.
        let track_uri = format!("spotify:track:{raw}");
        prop_assert!(track_uri.parse::<ArtistId>().is_err());
        let track: TrackId = raw.parse().unwrap();
        prop_assert_eq!(track.to_string(), raw);
    }

    #[test]
    fn prop_anything_that_is_not_an_id_is_refused(text in "\\PC{0,40}") {
        let valid = text.trim().len() == 22 && text.trim().bytes().all(|b| b.is_ascii_alphanumeric());
        let is_form = text.contains(':') || text.contains("open.spotify.com");
        if !valid && !is_form {
            prop_assert!(text.parse::<ArtistId>().is_err());
        }
        if let Ok(id) = text.parse::<ArtistId>() {
            prop_assert!(id.as_str().bytes().all(|b| b.is_ascii_alphanumeric()));
            prop_assert_eq!(id.as_str().len(), 22);
        }
    }

    #[test]
    fn prop_ids_cannot_change_the_path(raw in valid_id()) {
        let request = GetArtistAlbums::new(raw.parse().unwrap()).request(&BaseUrl::spotify_api());
        let expected = format!("https://api.spotify.com/v1/artists/{raw}/albums");
        prop_assert_eq!(request.url(), expected.as_str());
        let album: AlbumId = raw.parse().unwrap();
        prop_assert!(GetAlbumTracks::new(album).request(&BaseUrl::spotify_api()).url().starts_with("https://api.spotify.com/v1/albums/"));
    }

    #[test]
    fn prop_query_values_are_encoded_and_read_back(market in "\\PC{0,24}", q in "\\PC{1,40}", limit in any::<u32>(), offset in any::<u32>()) {
        prop_assume!(!q.trim().is_empty());
        let search = Search::new(SearchQuery::new(&q), [SearchType::Track]).unwrap().market(market.clone()).limit(limit).offset(offset);
        let request = search.request(&BaseUrl::spotify_api());
        let url = request.url();
        prop_assert!(url.starts_with("https://api.spotify.com/v1/search?"));
        prop_assert!(clean_url(url), "{}", url);
        prop_assert_eq!(query_value(url, "q"), Some(q.trim().to_owned()));
        prop_assert_eq!(query_value(url, "market"), Some(market));
        prop_assert_eq!(query_value(url, "limit"), Some(limit.to_string()));
        prop_assert_eq!(query_value(url, "offset"), Some(offset.to_string()));
        prop_assert_eq!(query_value(url, "type"), Some("track".to_owned()));
        for (name, value) in request.headers() {
            prop_assert!(!value.contains(['\r', '\n']), "{}: {}", name, value);
        }
        let track = GetTrack::new("6rqhFgbbKwnb9MLmUQDhG6".parse().unwrap()).market(q);
        let url = track.request(&BaseUrl::spotify_api()).url().to_owned();
        prop_assert!(url.starts_with("https://api.spotify.com/v1/tracks/6rqhFgbbKwnb9MLmUQDhG6?market="));
        prop_assert!(clean_url(&url));
    }

    #[test]
    fn prop_token_answers_never_put_a_line_break_in_a_header(token in "\\PC{0,40}|[a-z]{1,5}\r\n[a-z]{1,5}") {
        let body = serde_json::json!({"access_token": token, "token_type": "Bearer", "expires_in": 60}).to_string();
        if let Ok(parsed) = AccessToken::from_response(&Response::new(200, body.as_bytes()), Instant::ZERO) {
            let request = parsed.authorize(GetTrack::new("6rqhFgbbKwnb9MLmUQDhG6".parse().unwrap()).request(&BaseUrl::spotify_api()));
            let header = request.header("authorization").unwrap();
            prop_assert!(header.bytes().all(|b| b.is_ascii_graphic() || b == b' '), "{:?}", header);
        }
    }

    #[test]
    fn prop_token_expiry_never_overflows(now in any::<u64>(), nanos in 0u32..1_000_000_000, expires_in in any::<u64>()) {
        let now = Instant::from_duration(Duration::new(now, nanos));
        let body = format!(r#"{{"access_token":"t","token_type":"Bearer","expires_in":{expires_in}}}"#);
        let token = AccessToken::from_response(&Response::new(200, body.as_bytes()), now).unwrap();
        prop_assert!(token.expires_at() >= now);
        prop_assert_eq!(token.expires_at().saturating_duration_since(now), now.as_duration().checked_add(Duration::from_secs(expires_in)).map_or(Duration::MAX - now.as_duration(), |_| Duration::from_secs(expires_in)));
        let _ = token.is_fresh(now, Duration::MAX);
    }
}

/// Parts of a redirect URI, each sometimes hostile.
fn redirect_parts() -> impl Strategy<Value = (String, bool)> {
    let scheme = proptest::sample::select(vec![
        "https",
        "http",
        "HTTP",
        "hTtPs",
        "file",
        "javascript",
        "myapp",
        "",
    ]);
    let userinfo = proptest::sample::select(vec![
        "",
        "",
        "user@",
        "127.0.0.1:80@",
        "[::1]@",
        "a:b@",
        "@",
    ]);
    let host = proptest::sample::select(vec![
        "127.0.0.1",
        "[::1]",
        "[0:0:0:0:0:0:0:1]",
        "127.0.0.2",
        "[::2]",
        "localhost",
        "LocalHost",
        "app.example",
        "evil.example",
        "",
        "a b",
        "[::1",
        "%41pp.example",
    ]);
    let port = proptest::sample::select(vec![
        "",
        "",
        ":8888",
        ":1",
        ":65535",
        ":0",
        ":65536",
        ":",
        ":x1",
        ":99999999999",
    ]);
    let path = proptest::sample::select(vec![
        "/callback",
        "",
        "/cb?x=1",
        "/a%20b",
        "/%zz",
        "?q",
        "/cb#frag",
        "/\u{7f}",
    ]);
    (scheme, userinfo, host, port, path).prop_map(|(s, u, h, p, rest)| {
        // Built from good parts only, this URI must be accepted.
        let https = s.eq_ignore_ascii_case("https");
        let http = s.eq_ignore_ascii_case("http");
        let loopback = ["127.0.0.1", "[::1]", "[0:0:0:0:0:0:0:1]"].contains(&h);
        let named = ["127.0.0.2", "[::2]", "app.example", "evil.example"].contains(&h);
        let good = (https && (loopback || named) || http && loopback)
            && u.is_empty()
            && ["", ":8888", ":1", ":65535"].contains(&p)
            && ["/callback", "", "/cb?x=1", "/a%20b", "?q"].contains(&rest);
        (format!("{s}://{u}{h}{p}{rest}"), good)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    /// Whatever `RedirectUri` accepts, the `url` crate reads the same way: an https URI, or an
    /// http URI to a loopback IP literal; no user information, a host, a port in range, no
    /// fragment. And every URI built only from good parts is accepted.
    #[test]
    fn redirect_uris_agree_with_a_well_kept_url_parser((uri, good) in redirect_parts()) {
        use spotify_web_core::auth::RedirectUri;
        let ours = RedirectUri::new(&uri);
        let theirs = url::Url::parse(&uri);
        if ours.is_ok() {
            let parsed = theirs.as_ref().unwrap_or_else(|e| panic!("{uri}: url says {e}"));
            prop_assert!(parsed.username().is_empty() && parsed.password().is_none(), "{}", uri);
            prop_assert!(parsed.fragment().is_none(), "{}", uri);
            prop_assert_ne!(parsed.port(), Some(0));
            let host = parsed.host().unwrap_or_else(|| panic!("{uri}: no host"));
            match parsed.scheme() {
                "https" => {}
                "http" => {
                    let loopback = match host {
                        url::Host::Ipv4(ip) => ip == std::net::Ipv4Addr::LOCALHOST,
                        url::Host::Ipv6(ip) => ip.is_loopback(),
                        url::Host::Domain(_) => false,
                    };
                    prop_assert!(loopback, "{}", uri);
                }
                other => prop_assert!(false, "{uri}: scheme {other}"),
            }
            prop_assert!(!parsed.host_str().unwrap_or_default().eq_ignore_ascii_case("localhost"));
        }
        if good {
            prop_assert!(ours.is_ok(), "{uri}: refused with {:?}", ours);
        }
    }
}

proptest! {
    /// `Retry-After` in seconds, with a fraction, and as a date against the answer's `Date`, in
    /// each of the three HTTP-date forms: the error carries the wait, rounded up.
    #[test]
    fn retry_after_reads_seconds_fractions_and_dates(
        seconds in 0u64..1_000_000,
        fraction in proptest::option::of(1u32..1000),
        base in 0u64..3_100_000_000, // before 2068: RFC 850 years have two digits
    ) {
        use spotify_web_core::Error;
        let read = |response: Response<'_>| match spotify_web_core::GetArtist::new(
            "4Z8W4fKeB5YxbusRsdQVPb".parse().unwrap(),
        )
        .parse(&response)
        {
            Err(Error::RateLimited { retry_after, .. }) => retry_after,
            other => panic!("{other:?}"),
        };
        let value = match fraction {
            Some(f) => format!("{seconds}.{f:03}"),
            None => seconds.to_string(),
        };
        let expected = seconds + u64::from(fraction.is_some());
        prop_assert_eq!(
            read(Response::new(429, b"").with_header("retry-after", value.as_bytes())),
            Some(Duration::from_secs(expected))
        );
        let negative = format!("-{value}");
        prop_assert_eq!(
            read(Response::new(429, b"").with_header("retry-after", negative.as_bytes())),
            None
        );
        let date = imf_fixdate(base);
        for form in [imf_fixdate(base + seconds), rfc850(base + seconds), asctime(base + seconds)] {
            let response = Response::new(429, b"")
                .with_header("retry-after", form.as_bytes())
                .with_header("date", date.as_bytes());
            prop_assert_eq!(read(response), Some(Duration::from_secs(seconds)), "{}", form);
        }
    }
}

/// A civil date and time from seconds since the Unix epoch.
fn civil(unix: u64) -> (u64, usize, u64, u64, u64, u64, usize) {
    let days = unix / 86_400;
    let rest = unix % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    let weekday = ((days + 4) % 7) as usize;
    (
        year,
        month as usize - 1,
        day,
        rest / 3600,
        rest % 3600 / 60,
        rest % 60,
        weekday,
    )
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const LONG_DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

fn imf_fixdate(unix: u64) -> String {
    let (y, m, d, h, min, s, w) = civil(unix);
    format!(
        "{}, {d:02} {} {y} {h:02}:{min:02}:{s:02} GMT",
        DAYS[w], MONTHS[m]
    )
}

fn rfc850(unix: u64) -> String {
    let (y, m, d, h, min, s, w) = civil(unix);
    format!(
        "{}, {d:02}-{}-{:02} {h:02}:{min:02}:{s:02} GMT",
        LONG_DAYS[w],
        MONTHS[m],
        y % 100
    )
}

fn asctime(unix: u64) -> String {
    let (y, m, d, h, min, s, w) = civil(unix);
    format!(
        "{} {} {d:>2} {h:02}:{min:02}:{s:02} {y}",
        DAYS[w], MONTHS[m]
    )
}
