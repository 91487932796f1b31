//! Conditional GET for pages: every HTML page gets an `ETag` from its
//! content, and a browser that comes back with it in `If-None-Match` is
//! answered 304 with no body, so a revisit over a phone's network costs one
//! small round trip when nothing changed.
//!
//! A page's inline script carries a fresh CSP nonce on every render, so the
//! tag is taken over the page with its nonce left out; a 304 carries no
//! Content-Security-Policy, so the browser keeps the policy it stored with
//! the page, whose nonce matches the stored page's script.

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, ETAG, IF_NONE_MATCH, SET_COOKIE, VARY};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// Pages are tens of kilobytes; anything larger than this is passed on
/// without a tag rather than held in memory.
const MAX_TAGGED_BYTES: usize = 4 * 1024 * 1024;

pub async fn revalidate(request: Request, next: Next) -> Response {
    let conditional = matches!(*request.method(), Method::GET | Method::HEAD);
    let presented = request.headers().get(IF_NONE_MATCH).cloned();
    let response = next.run(request).await;
    if !conditional || !taggable(&response) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_TAGGED_BYTES).await else {
        tracing::error!("a page could not be read whole for its ETag");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let nonce = parts.headers.get(CONTENT_SECURITY_POLICY).and_then(|csp| csp.to_str().ok()).and_then(nonce_of);
    let tag = tag_of(&bytes, nonce);
    let headers = &mut parts.headers;
    // The page depends on the language and session cookies.
    headers.append(VARY, HeaderValue::from_static("cookie"));
    // Kept, but asked about again on every visit: an edit shows at once.
    headers.entry(CACHE_CONTROL).or_insert(HeaderValue::from_static("no-cache"));
    if presented.as_ref().is_some_and(|presented| matches(presented, &tag)) {
        return not_modified(headers, tag);
    }
    headers.insert(ETAG, tag);
    Response::from_parts(parts, Body::from(bytes))
}

/// Successful HTML that sets no cookie: a response that sets one is about
/// this visitor's session and must arrive whole.
fn taggable(response: &Response) -> bool {
    let headers = response.headers();
    response.status() == StatusCode::OK
        && !headers.contains_key(ETAG)
        && !headers.contains_key(SET_COOKIE)
        && headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| t.starts_with("text/html"))
}

pub(super) fn nonce_of(csp: &str) -> Option<&str> {
    let start = csp.find("'nonce-")? + "'nonce-".len();
    let length = csp[start..].find('\'')?;
    Some(&csp[start..start + length])
}

/// A weak tag (compression changes the bytes, not the page) over the page
/// with every occurrence of its nonce left out.
fn tag_of(page: &[u8], nonce: Option<&str>) -> HeaderValue {
    let mut hasher = Sha256::new();
    match (nonce.filter(|n| !n.is_empty()), std::str::from_utf8(page)) {
        (Some(nonce), Ok(text)) => text.split(nonce).for_each(|part| hasher.update(part.as_bytes())),
        _ => hasher.update(page),
    }
    let digest = hasher.finalize();
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    HeaderValue::from_str(&format!("W/\"{hex}\"")).expect("hex is a valid header")
}

/// `If-None-Match` by the weak comparison: any listed tag, `W/` or not, or `*`.
fn matches(presented: &HeaderValue, tag: &HeaderValue) -> bool {
    let Ok(presented) = presented.to_str() else { return false };
    let ours = tag.to_str().unwrap_or_default().trim_start_matches("W/");
    presented.split(',').map(str::trim).any(|candidate| candidate == "*" || candidate.trim_start_matches("W/") == ours)
}

fn not_modified(headers: &HeaderMap, tag: HeaderValue) -> Response {
    let mut response = StatusCode::NOT_MODIFIED.into_response();
    let out = response.headers_mut();
    out.insert(ETAG, tag);
    for name in [CACHE_CONTROL, VARY] {
        for value in headers.get_all(&name) {
            out.append(name.clone(), value.clone());
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_page_with_another_nonce_has_the_same_tag() {
        let page = |nonce: &str| format!("<html><script nonce=\"{nonce}\">go()</script><p>Встреча</p></html>");
        let a = tag_of(page("abc123").as_bytes(), Some("abc123"));
        let b = tag_of(page("zzz999").as_bytes(), Some("zzz999"));
        assert_eq!(a, b);
        let edited = tag_of(page("abc123").replace("Встреча", "Митап").as_bytes(), Some("abc123"));
        assert_ne!(a, edited);
    }

    #[test]
    fn if_none_match_compares_weakly_and_takes_lists_and_a_star() {
        let tag = HeaderValue::from_static("W/\"0a1b\"");
        for presented in ["W/\"0a1b\"", "\"0a1b\"", "\"x\", W/\"0a1b\"", "*"] {
            assert!(matches(&HeaderValue::from_static(presented), &tag), "{presented}");
        }
        assert!(!matches(&HeaderValue::from_static("W/\"0a1c\""), &tag));
    }

    #[test]
    fn the_nonce_is_read_from_the_policy() {
        assert_eq!(nonce_of("default-src 'self'; script-src 'self' 'nonce-Ab9' 'wasm-unsafe-eval'"), Some("Ab9"));
        assert_eq!(nonce_of("default-src 'self'"), None);
    }
}
