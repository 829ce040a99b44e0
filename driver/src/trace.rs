//! What the client does, as `tracing` spans and events (with the `tracing` feature; without
//! it, every function here compiles to nothing).
//!
//! - A span `spotify_web.call` per call, with the endpoint's type name and the call's number
//!   in its session.
//! - An event per exchange, inside it: method, path (never the query or a header), status or
//!   failure, attempt, and duration in milliseconds.
//! - An event for each thing the session reports: a token request, a retry with its reason
//!   and delay, a rate limit with its end, a call that gave up.
//!
//! No token, secret, code or verifier is ever a field: requests are described by their method
//! and path only, and the session's events carry numbers and reasons.

use bytes::Bytes;
use spotify_web_core::session::Event;

use crate::transport::Failure;

/// One call, as traced.
pub(crate) struct CallTrace {
    #[cfg(feature = "tracing")]
    span: tracing::Span,
    #[cfg(feature = "tracing")]
    attempt: u32,
}

impl CallTrace {
    /// Opens the call's span, named after the endpoint type `E`.
    #[cfg_attr(
        not(feature = "tracing"),
        allow(unused_variables, clippy::extra_unused_type_parameters)
    )]
    pub(crate) fn new<E>(call: u64) -> Self {
        #[cfg(feature = "tracing")]
        {
            let span = tracing::debug_span!(
                "spotify_web.call",
                endpoint = short_type_name(core::any::type_name::<E>()),
                call,
            );
            Self { span, attempt: 0 }
        }
        #[cfg(not(feature = "tracing"))]
        Self {}
    }

    /// An exchange of this request is starting: remembers its method, path and start, counts
    /// the attempt.
    #[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
    pub(crate) fn start(&mut self, request: &http::Request<Vec<u8>>) -> Exchange {
        #[cfg(feature = "tracing")]
        {
            self.attempt += 1;
            Exchange {
                method: request.method().clone(),
                path: traced_path(request),
                started: std::time::Instant::now(),
            }
        }
        #[cfg(not(feature = "tracing"))]
        Exchange {}
    }

    /// An exchange is over, with this outcome.
    #[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
    pub(crate) fn answered(
        &self,
        exchange: Exchange,
        outcome: &Result<http::Response<Bytes>, Failure>,
    ) {
        #[cfg(feature = "tracing")]
        {
            let Exchange {
                method,
                path,
                started,
            } = exchange;
            let millis = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
            match outcome {
                Ok(response) => tracing::debug!(
                    parent: &self.span,
                    method = %method,
                    path,
                    status = response.status().as_u16(),
                    attempt = self.attempt,
                    millis,
                    "exchange"
                ),
                Err(failure) => tracing::debug!(
                    parent: &self.span,
                    method = %method,
                    path,
                    failure = ?failure.kind(),
                    attempt = self.attempt,
                    millis,
                    "exchange failed"
                ),
            }
        }
    }

    /// The call is over.
    #[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
    pub(crate) fn finished(&self, ok: bool) {
        #[cfg(feature = "tracing")]
        tracing::debug!(parent: &self.span, ok, attempts = self.attempt, "call finished");
    }
}

/// One exchange in progress.
pub(crate) struct Exchange {
    #[cfg(feature = "tracing")]
    method: http::Method,
    #[cfg(feature = "tracing")]
    path: String,
    #[cfg(feature = "tracing")]
    started: std::time::Instant,
}

/// Emits what the session reported. Events that name a call carry its number, as its span
/// does.
#[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
pub(crate) fn session_event(event: &Event) {
    #[cfg(feature = "tracing")]
    match *event {
        Event::TokenRequested { call, attempt } => {
            tracing::debug!(call, attempt, "token requested");
        }
        Event::TokenChanged { generation } => {
            tracing::debug!(generation, "token received");
        }
        Event::RetryScheduled {
            call,
            reason,
            delay,
            retry,
        } => {
            let delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
            tracing::info!(call, reason = ?reason, delay_ms, retry, "retry scheduled");
        }
        Event::RateLimited { retry_after, .. } => {
            tracing::warn!(
                retry_after_s = retry_after.as_secs_f64(),
                "rate limited: no request is sent until the wait is over"
            );
        }
        Event::GaveUp {
            call,
            reason,
            retries,
        } => {
            tracing::warn!(call, reason = ?reason, retries, "gave up");
        }
        _ => {}
    }
}

/// The request's path (never its query), with the credential it carries taken out: a path is
/// the server's to choose (a followed `next` link), and one that echoes the token must not put
/// it in a trace.
#[cfg(feature = "tracing")]
fn traced_path(request: &http::Request<Vec<u8>>) -> String {
    let path = request.uri().path();
    let credential = request
        .headers()
        .get(http::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split_once(' '))
        .map(|(_, credential)| credential.trim())
        .filter(|credential| !credential.is_empty());
    match credential {
        Some(credential) if path.contains(credential) => path.replace(credential, "<redacted>"),
        _ => path.to_owned(),
    }
}

/// `Foo` of `a::b::Foo`, and `Raw<GetArtist>` of `a::Raw<b::GetArtist>`.
#[cfg(feature = "tracing")]
fn short_type_name(full: &'static str) -> String {
    let mut out = String::with_capacity(full.len());
    let mut word = String::new();
    for c in full.chars() {
        if c.is_alphanumeric() || c == '_' || c == ':' {
            word.push(c);
        } else {
            out.push_str(word.rsplit("::").next().unwrap_or(&word));
            word.clear();
            out.push(c);
        }
    }
    out.push_str(word.rsplit("::").next().unwrap_or(&word));
    out
}

#[cfg(all(test, feature = "tracing"))]
mod tests {
    use super::{short_type_name, traced_path};

    #[test]
    fn a_path_that_echoes_the_token_is_traced_without_it() {
        let request = |path: &str| {
            http::Request::get(format!("https://api.spotify.com{path}"))
                .header("authorization", "Bearer BQD-secret-token")
                .body(Vec::new())
                .unwrap()
        };
        assert_eq!(
            traced_path(&request("/v1/artists/x/BQD-secret-token?q=1")),
            "/v1/artists/x/<redacted>"
        );
        assert_eq!(traced_path(&request("/v1/me")), "/v1/me");
    }

    #[test]
    fn type_names_lose_their_paths() {
        assert_eq!(short_type_name("a::b::GetArtist"), "GetArtist");
        assert_eq!(short_type_name("x::Raw<y::z::GetArtist>"), "Raw<GetArtist>");
        assert_eq!(
            short_type_name("x::DecodeAs<y::GetArtist, alloc::string::String>"),
            "DecodeAs<GetArtist, String>"
        );
    }
}

/// The shared rate-limit gate could not be read or closed: the client goes on as if it were
/// open.
#[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
pub(crate) fn gate_failed(doing: &str, error: &(dyn std::error::Error + Send + Sync)) {
    #[cfg(feature = "tracing")]
    tracing::warn!(doing, error = %error, "the shared rate-limit gate failed: treated as open");
}

/// The shared rate-limit gate is closed: the session holds its requests.
#[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
pub(crate) fn gate_closed(remaining: std::time::Duration) {
    #[cfg(feature = "tracing")]
    tracing::debug!(
        remaining_s = remaining.as_secs_f64(),
        "another instance was rate limited: holding requests"
    );
}

/// The store answered a renewal with a token another process got: no token request is sent.
pub(crate) fn renewed_elsewhere() {
    #[cfg(feature = "tracing")]
    tracing::debug!("the token store holds a token another process renewed: using it");
}

/// The store's renewal lock could not be released (a well-made store's lock then expires).
#[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
pub(crate) fn unlock_failed(error: &(dyn std::error::Error + Send + Sync)) {
    #[cfg(feature = "tracing")]
    tracing::warn!(error = %error, "the token store's renewal lock could not be released");
}
