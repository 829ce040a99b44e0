//! The HTTP side: accepting connections, routing, tokens, and faults.

use std::collections::HashMap;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use bytes::Bytes;
use hyper::body::{Frame, Incoming};
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::accounts;
use crate::catalog::{Kind, Query};
use crate::{Fault, Route, Shared, Target};

/// Accepts connections until `stop` fires, serving each on its own task with keep-alive.
pub(crate) async fn serve(
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
    mut stop: oneshot::Receiver<()>,
) {
    let Ok(listener) = TcpListener::from_std(listener) else {
        return;
    };
    loop {
        let stream = tokio::select! {
            _ = &mut stop => return,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => continue,
            },
        };
        let _ = stream.set_nodelay(true);
        shared.lock().connections += 1;
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            #[cfg(feature = "tls")]
            if let Some(acceptor) = shared.tls.clone() {
                // A handshake that fails (a client that does not trust the certificate) ends
                // the connection: the client reports it.
                let Ok(stream) = acceptor.accept(stream).await else {
                    return;
                };
                let h2 = stream.get_ref().1.alpn_protocol() == Some(b"h2".as_slice());
                {
                    let mut state = shared.lock();
                    state.handshakes += 1;
                    if h2 {
                        state.http2_connections += 1;
                    }
                }
                let service =
                    hyper::service::service_fn(move |request| handle(Arc::clone(&shared), request));
                let io = TokioIo::new(stream);
                let _ = if h2 {
                    hyper::server::conn::http2::Builder::new(hyper_util::rt::TokioExecutor::new())
                        .serve_connection(io, service)
                        .await
                } else {
                    hyper::server::conn::http1::Builder::new()
                        .serve_connection(io, service)
                        .await
                };
                return;
            }
            let service =
                hyper::service::service_fn(move |request| handle(Arc::clone(&shared), request));
            // A connection that ends badly (a dropped one, on purpose or not) is not our concern.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// Why a connection is closed without an answer.
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped on purpose")
    }
}

impl std::error::Error for Dropped {}

async fn handle(
    shared: Arc<Shared>,
    request: Request<Incoming>,
) -> Result<Response<Body>, Dropped> {
    if matches!(*request.method(), Method::POST | Method::PUT)
        && !request.headers().contains_key(header::CONTENT_LENGTH)
        && !request.headers().contains_key(header::TRANSFER_ENCODING)
    {
        // Spotify's front end refuses a POST or PUT that does not say how long its body is,
        // even an empty one (`Content-Length: 0`), with a 411 page of HTML
        // (spotify/web-api#859, #1594).
        return Ok(length_required().into_response(false));
    }
    let route = route(request.method(), request.uri().path());
    let conditional = Conditional::of(&request, route);
    let target = if route == Route::Token || request.uri().path() == "/api/token" {
        Some(Target::Token)
    } else if request.uri().path().starts_with("/v1/") {
        Some(Target::Api)
    } else {
        None
    };
    let (fault, limited) = {
        let mut state = shared.lock();
        *state.counters.entry(route).or_insert(0) += 1;
        let fault = target.and_then(|target| state.faults.get_mut(&target)?.pop_front());
        let limited = if target == Some(Target::Api) && fault.is_none() {
            state.rate_limited(Instant::now())
        } else {
            None
        };
        (fault, limited)
    };
    if let Some(seconds) = limited {
        return Ok(rate_limited(Some(seconds)).into_response(false));
    }
    let answer = match fault {
        Some(Fault::DropConnection) => return Err(Dropped),
        Some(Fault::DropAfterProcessing) => {
            let _ = respond(&shared, request, route).await;
            return Err(Dropped);
        }
        Some(Fault::RateLimit { retry_after }) => {
            return Ok(rate_limited(retry_after).into_response(false));
        }
        Some(Fault::ServerError { status }) => return Ok(server_error(status).into_response(false)),
        Some(Fault::RateLimitEmptyBody { retry_after }) => {
            let answer = text(StatusCode::TOO_MANY_REQUESTS, "");
            return Ok(with_retry_after(answer, retry_after).into_response(false));
        }
        Some(Fault::RateLimitEmptyObject) => {
            return Ok(Answer::json(StatusCode::TOO_MANY_REQUESTS, &json!({})).into_response(false));
        }
        Some(Fault::Forbidden { reason }) => {
            let mut error = json!({"status": 403});
            if let Some(reason) = reason {
                error["reason"] = json!(reason);
            }
            return Ok(
                Answer::json(StatusCode::FORBIDDEN, &json!({ "error": error }))
                    .into_response(false),
            );
        }
        Some(Fault::UserNotApproved) => {
            return Ok(
                text(StatusCode::FORBIDDEN, "User not approved for app").into_response(false)
            );
        }
        Some(Fault::InvalidClientWithoutDescription) => {
            return Ok(
                Answer::json(StatusCode::BAD_REQUEST, &json!({"error": "invalid_client"}))
                    .into_response(false),
            );
        }
        Some(Fault::TextUnavailable) => {
            return Ok(
                text(StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable").into_response(false)
            );
        }
        Some(Fault::LowercaseBearer) => {
            let mut answer = respond(&shared, request, route).await;
            if let Ok(mut body) = serde_json::from_slice::<Value>(&answer.body) {
                if body.get("token_type").is_some() {
                    body["token_type"] = json!("bearer");
                    answer.body = body.to_string().into_bytes();
                }
            }
            answer
        }
        Some(Fault::Delay(delay)) => {
            tokio::time::sleep(delay).await;
            respond(&shared, request, route).await
        }
        Some(Fault::MalformedJson) => {
            let mut answer = respond(&shared, request, route).await;
            answer.status = StatusCode::OK;
            let half = answer.body.len() / 2;
            answer.body = [&answer.body[..half], b"<<not json"].concat();
            answer
        }
        Some(Fault::TruncatedBody) => {
            return Ok(respond(&shared, request, route).await.into_response(true));
        }
        None => respond(&shared, request, route).await,
    };
    let answer = if target == Some(Target::Api) {
        let development_mode = shared.lock().development_mode;
        conditional.finish(answer, development_mode)
    } else {
        answer
    };
    Ok(answer.into_response(false))
}

/// What the caching headers of an API answer depend on: Spotify sends `Cache-Control` on every
/// answer (`private, max-age=0` on errors and most reads, about two minutes on search) and an
/// `ETag` only on some endpoints (a playlist, the user's playlists, the followed artists), and
/// answers a matching `If-None-Match` with 304 and no body (API-FACTS §6).
struct Conditional {
    if_none_match: Option<String>,
    get: bool,
    route: Route,
}

impl Conditional {
    fn of(request: &Request<Incoming>, route: Route) -> Self {
        Self {
            if_none_match: request
                .headers()
                .get(header::IF_NONE_MATCH)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            get: request.method() == Method::GET,
            route,
        }
    }

    fn finish(self, mut answer: Answer, development_mode: bool) -> Answer {
        // Development-mode apps get no `available_markets` anywhere since February 2026.
        if development_mode
            && answer.status.is_success()
            && contains(&answer.body, b"\"available_markets\"")
        {
            if let Ok(mut body) = serde_json::from_slice::<Value>(&answer.body) {
                crate::catalog::drop_available_markets(&mut body);
                answer.body = body.to_string().into_bytes();
            }
        }
        let ok = answer.status == StatusCode::OK;
        let cache = match self.route {
            Route::Search if ok => "private, max-age=120",
            _ => "private, max-age=0",
        };
        answer
            .headers
            .push((header::CACHE_CONTROL, cache.to_owned()));
        let tagged = matches!(
            self.route,
            Route::Playlist | Route::UserPlaylists | Route::Following
        );
        if !(self.get && ok && tagged) {
            return answer;
        }
        let etag = {
            use std::hash::{Hash, Hasher};
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            answer.body.hash(&mut hasher);
            format!("\"{:016x}\"", hasher.finish())
        };
        let matches = self.if_none_match.as_deref().is_some_and(|given| {
            given.trim() == "*" || given.split(',').any(|tag| tag.trim() == etag)
        });
        if matches {
            answer.status = StatusCode::NOT_MODIFIED;
            answer.body = Vec::new();
        }
        answer.headers.push((header::ETAG, etag));
        answer
    }
}

/// Whether `needle` occurs in `haystack`.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Which endpoint a request is for.
fn route(method: &Method, path: &str) -> Route {
    if path == "/api/token" {
        return Route::Token;
    }
    if path == "/authorize" {
        return Route::Authorize;
    }
    let Some(rest) = path.strip_prefix("/v1/") else {
        return Route::Other;
    };
    let segments: Vec<&str> = rest.split('/').collect();
    match segments.as_slice() {
        ["playlists", _] => return Route::Playlist,
        ["playlists", _, "items"] => return Route::PlaylistItems,
        ["playlists", _, "images"] => return Route::PlaylistImages,
        ["playlists", _, "followers"] | ["playlists", _, "followers", "contains"] => {
            return Route::PlaylistFollowers;
        }
        ["me" | "users", ..] if segments.last() == Some(&"playlists") => {
            return Route::UserPlaylists;
        }
        ["me", "library", ..]
        | [
            "me",
            "tracks" | "albums" | "shows" | "episodes" | "audiobooks",
            ..,
        ] => {
            return Route::Library;
        }
        ["me", "top", _] => return Route::TopItems,
        ["me", "player", "recently-played"] => return Route::RecentlyPlayed,
        ["me", "player", ..] => return Route::Player,
        ["audio-features", ..]
        | ["audio-analysis", ..]
        | ["artists", _, "related-artists"]
        | ["recommendations", ..]
        | ["browse", "featured-playlists"]
        | ["browse", "categories", _, "playlists"] => return Route::Deprecated,
        ["shows", ..] | ["episodes", ..] => return Route::Shows,
        ["audiobooks", ..] | ["chapters", ..] => return Route::Audiobooks,
        ["browse", ..] | ["markets"] | ["users", _] => return Route::Browse,
        ["me", "following", ..] => return Route::Following,
        _ => {}
    }
    if method != Method::GET {
        return Route::Other;
    }
    match segments.as_slice() {
        ["artists"] => Route::SeveralArtists,
        ["artists", _] => Route::Artist,
        ["artists", _, "albums"] => Route::ArtistAlbums,
        ["artists", _, "top-tracks"] => Route::ArtistTopTracks,
        ["albums"] => Route::SeveralAlbums,
        ["albums", _] => Route::Album,
        ["albums", _, "tracks"] => Route::AlbumTracks,
        ["tracks"] => Route::SeveralTracks,
        ["tracks", _] => Route::Track,
        ["search"] => Route::Search,
        ["me"] => Route::Me,
        _ => Route::Other,
    }
}

/// An answer before it becomes a response.
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) headers: Vec<(header::HeaderName, String)>,
    pub(crate) content_type: &'static str,
    pub(crate) body: Vec<u8>,
}

impl Answer {
    pub(crate) fn json(status: StatusCode, value: &Value) -> Self {
        Self {
            status,
            headers: Vec::new(),
            content_type: "application/json; charset=utf-8",
            body: value.to_string().into_bytes(),
        }
    }

    fn into_response(self, truncated: bool) -> Response<Body> {
        let length = self.body.len();
        let body = if truncated {
            Body::Truncated(Some(Bytes::from(self.body[..length / 2].to_vec())))
        } else {
            Body::Full(Some(Bytes::from(self.body)))
        };
        let mut response = Response::new(body);
        *response.status_mut() = self.status;
        let headers = response.headers_mut();
        // A 304 has no body, so neither a type nor a length of one.
        if self.status != StatusCode::NOT_MODIFIED {
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(self.content_type),
            );
            headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
        }
        for (name, value) in self.headers {
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.insert(name, value);
            }
        }
        response
    }
}

/// The front end's answer to a POST or PUT without a length: HTML, as Google's error pages.
fn length_required() -> Answer {
    let mut answer = text(
        StatusCode::LENGTH_REQUIRED,
        "<!DOCTYPE html>\n<html lang=en><title>Error 411 (Length Required)!!1</title>\
         <p><b>411.</b> <ins>That’s an error.</ins><p>POST requests require a \
         <code>Content-length</code> header. <ins>That’s all we know.</ins>",
    );
    answer.content_type = "text/html; charset=UTF-8";
    answer
}

/// A plain-text answer.
pub(crate) fn text(status: StatusCode, body: &str) -> Answer {
    Answer {
        status,
        headers: Vec::new(),
        content_type: "text/plain; charset=utf-8",
        body: body.as_bytes().to_vec(),
    }
}

/// Spotify's regular error object (without `message` when there is none, as Spotify has sent
/// `{"error":{"status":403}}`).
fn api_error(status: StatusCode, message: &str) -> Answer {
    let mut error = json!({"status": status.as_u16()});
    if !message.is_empty() {
        error["message"] = json!(message);
    }
    Answer::json(status, &json!({ "error": error }))
}

/// Spotify's 429, with `Retry-After` in seconds when given.
fn rate_limited(retry_after: Option<u64>) -> Answer {
    let answer = api_error(StatusCode::TOO_MANY_REQUESTS, "API rate limit exceeded");
    with_retry_after(answer, retry_after)
}

fn with_retry_after(mut answer: Answer, seconds: Option<u64>) -> Answer {
    if let Some(seconds) = seconds {
        answer
            .headers
            .push((header::RETRY_AFTER, seconds.to_string()));
    }
    answer
}

/// Spotify's accounts error object (always status 400, as observed).
pub(crate) fn auth_error(error: &str, description: &str) -> Answer {
    Answer::json(
        StatusCode::BAD_REQUEST,
        &json!({"error": error, "error_description": description}),
    )
}

fn server_error(status: u16) -> Answer {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    match status.as_u16() {
        502 => Answer {
            status,
            headers: Vec::new(),
            content_type: "text/html",
            body: b"<html><head><title>502 Bad Gateway</title></head><body><h1>Bad gateway.</h1></body></html>"
                .to_vec(),
        },
        503 => Answer {
            status,
            headers: Vec::new(),
            content_type: "text/plain",
            body: Vec::new(),
        },
        _ => api_error(status, "Server error."),
    }
}

async fn respond(shared: &Shared, request: Request<Incoming>, route: Route) -> Answer {
    if route == Route::Token {
        return accounts::token(shared, request).await;
    }
    if route == Route::Authorize {
        return accounts::authorize_route(shared, request).await;
    }
    if !request.uri().path().starts_with("/v1/") {
        if request.method() == Method::GET {
            if let Some(avatar) = accounts::avatar(request.uri().path()) {
                return avatar;
            }
        }
        return api_error(StatusCode::NOT_FOUND, "Service not found");
    }
    let grant = match check_bearer(shared, &request) {
        Ok(grant) => grant,
        Err(answer) => return answer,
    };
    let user = grant.user;
    if matches!(
        route,
        Route::Playlist
            | Route::PlaylistItems
            | Route::PlaylistImages
            | Route::PlaylistFollowers
            | Route::UserPlaylists
            | Route::Library
            | Route::TopItems
            | Route::RecentlyPlayed
            | Route::Following
            | Route::Player
    ) {
        return user_route(shared, request, route, &grant).await;
    }
    if request.method() != Method::GET {
        return api_error(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed");
    }
    if matches!(
        route,
        Route::Shows | Route::Audiobooks | Route::Browse | Route::Deprecated
    ) {
        let query = parse_form(request.uri().query().unwrap_or(""));
        let path = request.uri().path().trim_start_matches("/v1/");
        let segments: Vec<&str> = path.split('/').collect();
        let base = format!("{}/v1", shared.base);
        let development_mode = shared.lock().development_mode;
        let call = crate::playlists::Call {
            method: request.method(),
            segments: &segments,
            query: &query,
            body: &[],
            user,
            scope: &grant.scope,
            development_mode,
            base: &base,
        };
        return match shared.spoken.respond(&shared.catalog, &call) {
            Ok(value) => Answer::json(StatusCode::OK, &value),
            Err((status, message)) => api_error(
                StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
                message,
            ),
        };
    }
    let query = parse_form(request.uri().query().unwrap_or(""));
    let path = request.uri().path().trim_start_matches("/v1/");
    let segments: Vec<&str> = path.split('/').collect();
    let development_mode = shared.lock().development_mode;
    let catalog = &shared.catalog;
    let base = format!("{}/v1", shared.base);
    // A market is an ISO 3166-1 alpha-2 code or `from_token` (the message is the emulator's).
    if let Some(market) = query.get("market") {
        let code = market.len() == 2 && market.bytes().all(|b| b.is_ascii_uppercase());
        if !code && market != "from_token" {
            return api_error(StatusCode::BAD_REQUEST, "Invalid market code");
        }
    }
    // Removed for development-mode apps in February 2026: they get 403.
    if development_mode
        && matches!(
            route,
            Route::SeveralArtists
                | Route::SeveralAlbums
                | Route::SeveralTracks
                | Route::ArtistTopTracks
        )
    {
        return api_error(StatusCode::FORBIDDEN, "Forbidden");
    }
    // Search and artist albums: 5 by default and at most 10 for development-mode apps (the
    // API description's values since 2026), 20 and the cap otherwise.
    let paging = if development_mode {
        (5, shared.limit_cap.min(10))
    } else {
        (20, shared.limit_cap)
    };
    let result = match (route, segments.as_slice()) {
        (Route::Artist, [_, id]) => catalog.artist(id, development_mode),
        (Route::SeveralArtists, _) => {
            catalog.several(Kind::Artist, query.get("ids"), 50, &base, development_mode)
        }
        (Route::ArtistAlbums, [_, id, _]) => {
            catalog.artist_albums(id, &query, &base, paging, development_mode)
        }
        (Route::ArtistTopTracks, [_, id, _]) => catalog.top_tracks(id, development_mode),
        (Route::Album, [_, id]) => catalog.album(id, &base, development_mode),
        (Route::SeveralAlbums, _) => {
            catalog.several(Kind::Album, query.get("ids"), 20, &base, development_mode)
        }
        (Route::AlbumTracks, [_, id, _]) => {
            catalog.album_tracks(id, &query, &base, development_mode)
        }
        (Route::Track, [_, id]) => catalog.track(id, development_mode),
        (Route::SeveralTracks, _) => {
            catalog.several(Kind::Track, query.get("ids"), 50, &base, development_mode)
        }
        (Route::Search, _) => Query::from_params(&query, paging).map(|q| {
            let call = crate::playlists::Call {
                method: &Method::GET,
                segments: &[],
                query: &query,
                body: &[],
                user,
                scope: &grant.scope,
                development_mode,
                base: &base,
            };
            let others = HashMap::from([
                ("playlist", shared.lock().playlists.public(&call)),
                ("show", shared.spoken.all("show")),
                ("episode", shared.spoken.all("episode")),
                ("audiobook", shared.spoken.all("audiobook")),
            ]);
            let mut found = catalog.search(&q, &base, development_mode, &others);
            if development_mode {
                crate::spoken::drop_publishers(&mut found);
            }
            found
        }),
        (Route::Me, _) if user => Ok(accounts::user(
            development_mode,
            &grant.scope,
            grant.account,
            &shared.base,
        )),
        (Route::Me, _) => Err((401, "This request requires user authentication.")),
        _ => Err((404, "Service not found")),
    };
    match result {
        Ok(value) => Answer::json(StatusCode::OK, &value),
        Err((status, message)) => api_error(
            StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
            message,
        ),
    }
}

/// The largest request body the emulator reads (a cover image is at most 256 KB).
const MAX_REQUEST_BODY: usize = 1024 * 1024;

async fn user_route(
    shared: &Shared,
    request: Request<Incoming>,
    route: Route,
    grant: &Grant,
) -> Answer {
    use http_body_util::BodyExt;
    let (parts, body) = request.into_parts();
    let Ok(body) = http_body_util::Limited::new(body, MAX_REQUEST_BODY)
        .collect()
        .await
    else {
        return api_error(StatusCode::PAYLOAD_TOO_LARGE, "Payload too large");
    };
    let body = body.to_bytes();
    let query = parse_form(parts.uri.query().unwrap_or(""));
    let path = parts.uri.path().trim_start_matches("/v1/");
    let segments: Vec<&str> = path.split('/').collect();
    let base = format!("{}/v1", shared.base);
    let mut state = shared.lock();
    let call = crate::playlists::Call {
        method: &parts.method,
        segments: &segments,
        query: &query,
        body: &body,
        user: grant.user,
        scope: &grant.scope,
        development_mode: state.development_mode,
        base: &base,
    };
    let answer = match route {
        Route::Library | Route::TopItems | Route::RecentlyPlayed | Route::Following => state
            .library
            .respond(&shared.catalog, &shared.spoken, &call),
        Route::Player => {
            let crate::State {
                player, playlists, ..
            } = &mut *state;
            return match player.respond(&shared.catalog, playlists, &call) {
                Ok((status, body)) => plain(status, body),
                Err((status, message, reason)) => {
                    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
                    let mut error = json!({"status": status.as_u16(), "message": message});
                    if let Some(reason) = reason {
                        error["reason"] = json!(reason);
                    }
                    Answer::json(status, &json!({ "error": error }))
                }
            };
        }
        _ => state.playlists.respond(&shared.catalog, &call),
    };
    match answer {
        Ok((status, body)) => plain(status, body),
        Err((status, message)) => api_error(
            StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
            message,
        ),
    }
}

/// A success: its JSON body, or none (204, or a write's empty 200).
fn plain(status: u16, body: Option<Value>) -> Answer {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    match body {
        Some(value) => Answer::json(status, &value),
        None => Answer {
            status,
            headers: Vec::new(),
            content_type: "application/json; charset=utf-8",
            body: Vec::new(),
        },
    }
}

/// Who a token acts for, and what it may do.
pub(crate) struct Grant {
    /// Whether it acts for a demo user, rather than the app.
    pub(crate) user: bool,
    /// Which of the demo users.
    pub(crate) account: usize,
    /// The scopes granted, space-separated.
    pub(crate) scope: String,
}

/// Checks `Authorization: Bearer …` against the issued tokens, as the Web API does. Every
/// 401 carries `WWW-Authenticate`, as Spotify's do.
fn check_bearer(shared: &Shared, request: &Request<Incoming>) -> Result<Grant, Answer> {
    let unauthorized = |message: &str, error: &str| {
        let mut answer = api_error(StatusCode::UNAUTHORIZED, message);
        let challenge = if error.is_empty() {
            r#"Bearer realm="spotify""#.to_owned()
        } else {
            format!(r#"Bearer realm="spotify", error="{error}", error_description="{message}""#)
        };
        answer.headers.push((header::WWW_AUTHENTICATE, challenge));
        answer
    };
    let Some(value) = request.headers().get(header::AUTHORIZATION) else {
        return Err(unauthorized("No token provided", ""));
    };
    let Some(token) = value.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")) else {
        return Err(api_error(
            StatusCode::BAD_REQUEST,
            "Only valid bearer authentication supported",
        ));
    };
    let state = shared.lock();
    match state.tokens.get(token) {
        None => Err(unauthorized("Invalid access token", "invalid_token")),
        Some(issued) if issued.expires <= Instant::now() => {
            Err(unauthorized("The access token expired", "invalid_token"))
        }
        Some(issued) => Ok(Grant {
            user: issued.user,
            account: issued.account,
            scope: issued.scope.clone(),
        }),
    }
}

/// Decodes `application/x-www-form-urlencoded` (also used for query strings). The first value
/// of a repeated key wins.
pub(crate) fn parse_form(input: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for (key, value) in form_urlencoded::parse(input.as_bytes()) {
        out.entry(key.into_owned())
            .or_insert_with(|| value.into_owned());
    }
    out
}

/// A response body: whole, or cut short with an error so that the connection closes mid-body.
pub(crate) enum Body {
    Full(Option<Bytes>),
    Truncated(Option<Bytes>),
}

impl hyper::body::Body for Body {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        let this = self.get_mut();
        Poll::Ready(match this {
            Self::Full(data) => data.take().map(|d| Ok(Frame::data(d))),
            Self::Truncated(data) => Some(match data.take() {
                Some(d) => Ok(Frame::data(d)),
                None => Err(io::Error::new(
                    io::ErrorKind::ConnectionAborted,
                    "truncated on purpose",
                )),
            }),
        })
    }
}
