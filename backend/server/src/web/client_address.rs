//! Puts each request's [`ClientAddr`] among its extensions, once, for every
//! limit downstream (server functions read it through
//! `paperclub_frontend::server::client_addr`).

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use paperclub_core::client_address::{ClientAddr, TrustedProxies};

pub async fn resolve(State(trusted): State<Arc<TrustedProxies>>, mut request: Request, next: Next) -> Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip());
    if let Some(peer) = peer {
        let header = |name: &str| request.headers().get(name).and_then(|value| value.to_str().ok());
        // Several X-Forwarded-For lines are one list, in order.
        let forwarded_for: Vec<&str> =
            request.headers().get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect();
        let forwarded_for = (!forwarded_for.is_empty()).then(|| forwarded_for.join(","));
        let client = ClientAddr::resolve(peer, forwarded_for.as_deref(), header("forwarded"), &trusted);
        request.extensions_mut().insert(client);
    }
    next.run(request).await
}
