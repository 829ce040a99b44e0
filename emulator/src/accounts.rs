//! The accounts service: `/authorize` and `/api/token` with its three grants.

use std::hash::BuildHasher;
use std::time::Instant;

use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, StatusCode};
use serde_json::{Value, json};

use crate::Shared;
use crate::server::{Answer, auth_error, parse_form, text};

/// An access token the emulator issued.
pub(crate) struct Issued {
    pub(crate) expires: Instant,
    /// Whether it acts for a user (code or refresh grant), rather than the app.
    pub(crate) user: bool,
    /// Which of [`crate::DEMO_USERS`] it acts for.
    pub(crate) account: usize,
    /// The scopes the user granted, space-separated.
    pub(crate) scope: String,
}

/// The scopes Spotify knows (its authorization guide lists these 19).
pub(crate) const SCOPES: [&str; 19] = [
    "app-remote-control",
    "playlist-read-private",
    "playlist-read-collaborative",
    "playlist-modify-public",
    "playlist-modify-private",
    "user-library-read",
    "user-library-modify",
    "user-read-private",
    "user-read-email",
    "user-follow-read",
    "user-follow-modify",
    "user-top-read",
    "user-read-playback-position",
    "user-read-playback-state",
    "user-read-recently-played",
    "user-read-currently-playing",
    "user-modify-playback-state",
    "ugc-image-upload",
    "streaming",
];

/// Whether a redirect URI is one of the registered ones: exactly, or, for a loopback one
/// registered without a port, with any port (Spotify's 2025 rules, after RFC 8252).
fn registered(redirect: &str, allowed: &[String]) -> bool {
    let without_port = |uri: &str| -> Option<String> {
        let rest = uri.strip_prefix("http://")?;
        let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let bare = match host {
            h if h.starts_with("127.0.0.1:") => "127.0.0.1",
            h if h.starts_with("[::1]:") => "[::1]",
            _ => return None,
        };
        Some(format!("http://{bare}{path}"))
    };
    allowed.iter().any(|uri| uri == redirect)
        || without_port(redirect).is_some_and(|bare| allowed.contains(&bare))
}

/// A code handed out by `/authorize`, until it is exchanged (once).
pub(crate) struct CodeGrant {
    client_id: String,
    redirect_uri: String,
    challenge: Option<String>,
    scope: String,
    account: usize,
    used: bool,
}

/// A refresh token handed out by a code exchange or a refresh.
pub(crate) struct RefreshGrant {
    client_id: String,
    pkce: bool,
    scope: String,
    account: usize,
    pub(crate) revoked: bool,
}

/// A demo user, as `GET /v1/me` shows them.
///
/// The avatar is served by the emulator itself (`/images/avatar-N.svg`), so a page that shows
/// it never reaches beyond loopback.
pub(crate) fn user(development_mode: bool, scope: &str, account: usize, base: &str) -> Value {
    let account = account % crate::DEMO_USERS.len();
    let (id, name) = crate::DEMO_USERS[account];
    let mailbox = if account == 0 { "user" } else { "listener" };
    let mut user = json!({
        "id": id,
        "account_id": format!("emulator-account-{:04}", account + 1),
        "display_name": name,
        "country": "SE",
        "email": format!("{mailbox}@emulator.test"),
        "product": "premium",
        "explicit_content": {"filter_enabled": false, "filter_locked": false},
        "followers": {"href": null, "total": 3},
        "images": [{
            "url": format!("{base}/images/avatar-{}.svg", account + 1),
            "height": 300,
            "width": 300,
        }],
        "external_urls": {"spotify": format!("https://open.spotify.com/user/{id}")},
        "href": format!("https://api.spotify.com/v1/users/{id}"),
        "type": "user",
        "uri": format!("spotify:user:{id}"),
    });
    let granted = |wanted: &str| scope.split(' ').any(|s| s == wanted);
    if let Some(object) = user.as_object_mut() {
        // `email` needs user-read-email; `country`, `product` and `explicit_content` need
        // user-read-private.
        if !granted("user-read-email") {
            object.remove("email");
        }
        if !granted("user-read-private") {
            for field in ["country", "product", "explicit_content"] {
                object.remove(field);
            }
        }
        if development_mode {
            for field in [
                "country",
                "email",
                "product",
                "followers",
                "explicit_content",
            ] {
                object.remove(field);
            }
        }
    }
    user
}

/// Whether a plain-http URI names anything but a loopback IP literal.
fn without_loopback(uri: &str) -> bool {
    let host = uri
        .trim_start_matches("http://")
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    !(host == "127.0.0.1"
        || host.starts_with("127.0.0.1:")
        || host == "[::1]"
        || host.starts_with("[::1]:"))
}

/// `/authorize`. By default, a `GET` is approved at once by the demo user (as Spotify does for a
/// user who approved the app before). With the sign-in page on, a `GET` shows a page where
/// the person picks one of [`crate::DEMO_USERS`] and agrees, which `POST`s the choice back.
pub(crate) async fn authorize_route(shared: &Shared, request: Request<Incoming>) -> Answer {
    let query = request.uri().query().unwrap_or("").to_owned();
    if request.method() == Method::POST {
        let body = match Limited::new(request.into_body(), 64 * 1024).collect().await {
            Ok(body) => body.to_bytes(),
            Err(_) => return text(StatusCode::BAD_REQUEST, "Bad request"),
        };
        let form = parse_form(&String::from_utf8_lossy(&body));
        let account = form
            .get("account")
            .and_then(|a| a.parse::<usize>().ok())
            .filter(|a| *a < crate::DEMO_USERS.len());
        let (Some(query), Some(account)) = (form.get("query"), account) else {
            return text(StatusCode::BAD_REQUEST, "Bad request");
        };
        return authorize_as(shared, query, account);
    }
    if !shared.sign_in_page {
        return authorize(shared, &query);
    }
    let params = parse_form(&query);
    if let Err(refusal) = check_client(shared, &params) {
        return refusal;
    }
    sign_in_page(&query)
}

/// `GET /images/avatar-N.svg`: a demo user's avatar, drawn with their initial.
pub(crate) fn avatar(path: &str) -> Option<Answer> {
    let number: usize = path
        .strip_prefix("/images/avatar-")?
        .strip_suffix(".svg")?
        .parse()
        .ok()?;
    let (_, name) = crate::DEMO_USERS.get(number.checked_sub(1)?)?;
    let initial = name.chars().next().unwrap_or('?');
    let svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="300" height="300"><rect width="300" height="300" fill="#1db954"/><text x="150" y="190" font-size="140" text-anchor="middle" fill="#fff">{initial}</text></svg>"##
    );
    Some(Answer {
        status: StatusCode::OK,
        headers: vec![(header::CACHE_CONTROL, "max-age=86400".to_owned())],
        content_type: "image/svg+xml",
        body: svg.into_bytes(),
    })
}

/// The emulator's sign-in page: pick a demo user, agree.
fn sign_in_page(query: &str) -> Answer {
    let choices: String = crate::DEMO_USERS
        .iter()
        .enumerate()
        .map(|(i, (id, name))| {
            let checked = if i == 0 { " checked" } else { "" };
            format!(
                r#"<label><input type="radio" name="account" value="{i}" id="account-{id}"{checked}> {name}</label><br>"#
            )
        })
        .collect();
    let page = format!(
        r#"<!doctype html><html><head><meta charset="utf-8"><title>Log in - Spotify emulator</title></head>
<body><h1>Log in to the Spotify emulator</h1>
<form method="post" action="/authorize">{choices}
<input type="hidden" name="query" value="{query}">
<button type="submit" id="agree">Agree</button></form></body></html>"#,
        query = html_escape::encode_double_quoted_attribute(query),
    );
    Answer {
        status: StatusCode::OK,
        headers: vec![(header::CACHE_CONTROL, "no-store".to_owned())],
        content_type: "text/html; charset=utf-8",
        body: page.into_bytes(),
    }
}

/// `GET /authorize`: the demo user approves at once (or refuses) and goes back with a code.
pub(crate) fn authorize(shared: &Shared, query: &str) -> Answer {
    authorize_as(shared, query, 0)
}

/// The client and redirect URI checks, answered on the page itself (Spotify never redirects
/// to a URI it does not trust).
fn check_client(
    shared: &Shared,
    params: &std::collections::HashMap<String, String>,
) -> Result<(), Answer> {
    if params.get("client_id") != Some(&shared.client_id) {
        return Err(text(
            StatusCode::BAD_REQUEST,
            "INVALID_CLIENT: Invalid client",
        ));
    }
    let Some(redirect) = params.get("redirect_uri").filter(|r| !r.is_empty()) else {
        return Err(text(
            StatusCode::BAD_REQUEST,
            "INVALID_CLIENT: Invalid redirect URI",
        ));
    };
    if redirect.contains("://localhost")
        || redirect.starts_with("http://") && without_loopback(redirect)
    {
        return Err(text(
            StatusCode::BAD_REQUEST,
            "INVALID_CLIENT: Insecure redirect URI",
        ));
    }
    if !registered(redirect, &shared.redirect_uris) {
        return Err(text(
            StatusCode::BAD_REQUEST,
            "INVALID_CLIENT: Invalid redirect URI",
        ));
    }
    Ok(())
}

/// The demo user `account` approves (or refuses) and goes back with a code.
fn authorize_as(shared: &Shared, query: &str, account: usize) -> Answer {
    let params = parse_form(query);
    if let Err(refusal) = check_client(shared, &params) {
        return refusal;
    }
    let Some(redirect) = params.get("redirect_uri") else {
        return text(
            StatusCode::BAD_REQUEST,
            "INVALID_CLIENT: Invalid redirect URI",
        );
    };
    let mut back = vec![];
    let mut state = shared.lock();
    let method = params.get("code_challenge_method").map(String::as_str);
    if params.get("response_type").map(String::as_str) != Some("code") {
        back.push(("error", "unsupported_response_type".to_owned()));
    } else if method.is_some_and(|m| m != "S256")
        || (method.is_some() != params.contains_key("code_challenge"))
    {
        back.push(("error", "invalid_request".to_owned()));
    } else if params.get("scope").is_some_and(|scopes| {
        scopes
            .split(' ')
            .any(|s| !s.is_empty() && !SCOPES.contains(&s))
    }) {
        back.push(("error", "invalid_scope".to_owned()));
    } else if state.deny {
        back.push(("error", "access_denied".to_owned()));
    } else {
        state.minted += 1;
        let code = format!("AQ{:016x}", shared.random.hash_one((state.minted, "code")));
        state.codes.insert(
            code.clone(),
            CodeGrant {
                client_id: shared.client_id.clone(),
                redirect_uri: redirect.clone(),
                challenge: params.get("code_challenge").cloned(),
                scope: params.get("scope").cloned().unwrap_or_default(),
                account,
                used: false,
            },
        );
        back.push(("code", code));
    }
    if let Some(s) = params.get("state") {
        back.push(("state", s.clone()));
    }
    let query: Vec<String> = back
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    let separator = if redirect.contains('?') { '&' } else { '?' };
    let location = format!("{redirect}{separator}{}", query.join("&"));
    Answer {
        status: StatusCode::SEE_OTHER,
        headers: vec![(header::LOCATION, location)],
        content_type: "text/plain; charset=utf-8",
        body: Vec::new(),
    }
}

fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Who the token request says it is: `(client_id, secret)` from HTTP Basic or the form.
struct Client {
    id: Option<String>,
    secret: Option<String>,
}

/// `POST /api/token`.
pub(crate) async fn token(shared: &Shared, request: Request<Incoming>) -> Answer {
    if request.method() != Method::POST {
        return Answer {
            status: StatusCode::METHOD_NOT_ALLOWED,
            headers: vec![(header::ALLOW, "POST".into())],
            content_type: "text/plain",
            body: b"Method Not Allowed".to_vec(),
        };
    }
    let form_encoded = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().starts_with("application/x-www-form-urlencoded"));
    let basic = request
        .headers()
        .get(header::AUTHORIZATION)
        .map(HeaderValue::to_str)
        .map(|v| {
            v.ok()
                .and_then(|v| v.strip_prefix("Basic "))
                .and_then(|v| base64_decode(v.trim()))
        });
    let Ok(body) = Limited::new(request.into_body(), 64 * 1024).collect().await else {
        return auth_error("invalid_request", "The request body could not be read");
    };
    // Spotify answers a body that is not form-encoded as if it had no grant type.
    if !form_encoded {
        return auth_error("unsupported_grant_type", "grant_type parameter is missing");
    }
    let form = parse_form(&String::from_utf8_lossy(&body.to_bytes()));
    let client = match basic {
        Some(Some(pair)) => match pair.split_once(':') {
            Some((id, secret)) => Client {
                id: Some(id.to_owned()),
                secret: Some(secret.to_owned()),
            },
            None => return auth_error("invalid_client", "Invalid client"),
        },
        Some(None) => return auth_error("invalid_client", "Invalid client"),
        None => Client {
            id: form.get("client_id").cloned(),
            secret: form.get("client_secret").cloned(),
        },
    };
    if client
        .id
        .as_deref()
        .is_some_and(|id| id != shared.client_id)
    {
        return auth_error("invalid_client", "Invalid client");
    }
    if client
        .secret
        .as_deref()
        .is_some_and(|secret| secret != shared.client_secret)
    {
        return auth_error("invalid_client", "Invalid client secret");
    }
    let authenticated = client.id.is_some() && client.secret.is_some();
    match form.get("grant_type").map(String::as_str) {
        None => auth_error("unsupported_grant_type", "grant_type parameter is missing"),
        Some("client_credentials") if authenticated => issue(shared, None, None, None),
        Some("client_credentials") => auth_error("invalid_client", "Invalid client"),
        Some("authorization_code") => exchange(shared, &form, &client, authenticated),
        Some("refresh_token") => refresh(shared, &form, &client, authenticated),
        Some(_) => auth_error(
            "unsupported_grant_type",
            "grant_type must be client_credentials, authorization_code or refresh_token",
        ),
    }
}

/// The authorization-code grant: the code once, with the same redirect URI, and either the
/// secret or the PKCE verifier that matches the challenge.
fn exchange(
    shared: &Shared,
    form: &std::collections::HashMap<String, String>,
    client: &Client,
    authenticated: bool,
) -> Answer {
    let (scope, pkce, account) = {
        let mut state = shared.lock();
        let Some(grant) = form.get("code").and_then(|code| state.codes.get_mut(code)) else {
            return auth_error("invalid_grant", "Invalid authorization code");
        };
        if grant.used {
            return auth_error("invalid_grant", "Invalid authorization code");
        }
        grant.used = true;
        if form.get("redirect_uri") != Some(&grant.redirect_uri) {
            return auth_error("invalid_grant", "Invalid redirect URI");
        }
        match (&grant.challenge, form.get("code_verifier")) {
            (Some(_), None) => return auth_error("invalid_request", "code_verifier required"),
            (Some(challenge), Some(verifier)) => {
                // RFC 7636: 43 to 128 of A-Z a-z 0-9 - . _ ~.
                let well_formed = (43..=128).contains(&verifier.len())
                    && verifier.bytes().all(|b| {
                        b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
                    });
                if !well_formed {
                    return auth_error("invalid_request", "code_verifier is malformed");
                }
                if s256(verifier) != *challenge {
                    return auth_error("invalid_grant", "code_verifier was incorrect");
                }
                if client.id.as_deref() != Some(grant.client_id.as_str()) {
                    return auth_error("invalid_client", "Invalid client");
                }
            }
            (None, _) if !authenticated => return auth_error("invalid_client", "Invalid client"),
            (None, _) => {}
        }
        (
            grant.scope.clone(),
            grant.challenge.is_some(),
            grant.account,
        )
    };
    let refresh = new_refresh_token(shared, pkce, &scope, account);
    issue(shared, Some(account), Some(refresh), Some(scope))
}

/// The refresh-token grant. PKCE refresh tokens rotate (the old one is revoked); an app with
/// a secret keeps its refresh token and the answer has none, unless
/// [`Emulator::set_rotate_refresh_tokens`](crate::Emulator::set_rotate_refresh_tokens) is on
/// (Spotify may rotate in either flow).
fn refresh(
    shared: &Shared,
    form: &std::collections::HashMap<String, String>,
    client: &Client,
    authenticated: bool,
) -> Answer {
    let (scope, pkce, rotate, account) = {
        let mut state = shared.lock();
        let state = &mut *state;
        let Some(grant) = form
            .get("refresh_token")
            .and_then(|r| state.refresh_tokens.get_mut(r))
        else {
            return auth_error("invalid_grant", "Invalid refresh token");
        };
        if grant.revoked {
            return auth_error("invalid_grant", "Refresh token revoked");
        }
        let allowed = if grant.pkce {
            client.id.as_deref() == Some(grant.client_id.as_str())
        } else {
            authenticated
        };
        if !allowed {
            return auth_error("invalid_client", "Invalid client");
        }
        let rotate = grant.pkce || state.rotate_refresh_tokens;
        if rotate {
            grant.revoked = true;
        }
        (grant.scope.clone(), grant.pkce, rotate, grant.account)
    };
    let rotated = rotate.then(|| new_refresh_token(shared, pkce, &scope, account));
    issue(shared, Some(account), rotated, Some(scope))
}

fn new_refresh_token(shared: &Shared, pkce: bool, scope: &str, account: usize) -> String {
    let mut state = shared.lock();
    state.minted += 1;
    let token = format!(
        "AQR{:016x}",
        shared.random.hash_one((state.minted, "refresh"))
    );
    state.refresh_tokens.insert(
        token.clone(),
        RefreshGrant {
            client_id: shared.client_id.clone(),
            pkce,
            scope: scope.to_owned(),
            account,
            revoked: false,
        },
    );
    token
}

/// Issues an access token, for the app or for the demo user `account`.
fn issue(
    shared: &Shared,
    account: Option<usize>,
    refresh: Option<String>,
    scope: Option<String>,
) -> Answer {
    let mut state = shared.lock();
    state.minted += 1;
    let token = format!(
        "BQ{:016x}{:016x}",
        shared.random.hash_one(state.minted),
        shared.random.hash_one((state.minted, "token"))
    );
    let lifetime = state.token_lifetime;
    state.tokens.insert(
        token.clone(),
        Issued {
            expires: Instant::now() + lifetime,
            user: account.is_some(),
            account: account.unwrap_or(0),
            scope: scope.clone().unwrap_or_default(),
        },
    );
    let expires_in = lifetime.as_secs() + u64::from(lifetime.subsec_nanos() > 0);
    let mut body = json!({"access_token": token, "token_type": "Bearer", "expires_in": expires_in});
    if let Some(object) = body.as_object_mut() {
        if let Some(scope) = scope {
            object.insert("scope".into(), Value::String(scope));
        }
        if let Some(refresh) = refresh {
            object.insert("refresh_token".into(), Value::String(refresh));
        }
    }
    Answer::json(StatusCode::OK, &body)
}

/// base64url(SHA-256(verifier)), without padding: the S256 challenge.
fn s256(verifier: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(hmac_sha256::Hash::hash(verifier.as_bytes()))
}

fn base64_decode(input: &str) -> Option<String> {
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(input)
        .ok()?;
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s256_matches_rfc_7636() {
        assert_eq!(
            s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }
}
