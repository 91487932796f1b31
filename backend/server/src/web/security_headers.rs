//! Headers every answer carries so a browser limits what a page can do even if
//! something a visitor typed ever slipped through escaping: the
//! Content-Security-Policy (pages rendered by Leptos set their own, naming the
//! nonce of their inline script; everything else gets the same policy without
//! one), no MIME sniffing, no referrer beyond this site, no framing, and HSTS
//! when the site is served over https.

use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::http::header::{
    CONTENT_SECURITY_POLICY, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::middleware::Next;
use axum::response::Response;

#[derive(Clone)]
pub struct Policy {
    default_csp: HeaderValue,
    https: bool,
}

impl Policy {
    pub fn new(public_base_url: &str) -> Policy {
        let csp = paperclub_frontend::server::content_security_policy(None);
        Policy {
            default_csp: HeaderValue::from_str(&csp).expect("the policy is ASCII"),
            https: public_base_url.starts_with("https://"),
        }
    }
}

pub async fn add(State(policy): State<Policy>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    // A 304 leaves the stored page's policy in place: its nonce is the one
    // in the stored page (see `revalidation`).
    let revalidated = response.status() == axum::http::StatusCode::NOT_MODIFIED;
    let headers = response.headers_mut();
    if !revalidated && !headers.contains_key(CONTENT_SECURITY_POLICY) {
        headers.insert(CONTENT_SECURITY_POLICY, policy.default_csp.clone());
    }
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // Pages that carry a token in their address (tickets) say `no-referrer`
    // themselves; elsewhere other sites learn only that a visitor came from here.
    headers.entry(REFERRER_POLICY).or_insert(HeaderValue::from_static("strict-origin-when-cross-origin"));
    // For browsers older than `frame-ancestors`.
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if policy.https {
        headers.insert(STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    response
}
