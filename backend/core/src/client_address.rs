//! Who a request comes from, for rate limits. Behind a reverse proxy the
//! socket's peer is the proxy: its `X-Forwarded-For` (or `Forwarded`) header
//! names the visitor, but only proxies named in `TRUSTED_PROXIES` are
//! believed; anyone else could write that header themselves. Limits count an
//! IPv6 address per /64, the block one subscriber usually holds, so rotating
//! addresses inside it does not buy more attempts.

use std::net::IpAddr;
use std::str::FromStr;

/// Networks whose forwarding headers are believed, e.g. `127.0.0.1, 10.0.0.0/8, ::1`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<(IpAddr, u8)>);

impl FromStr for TrustedProxies {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let mut networks = Vec::new();
        for part in raw.split(',').map(str::trim).filter(|part| !part.is_empty()) {
            let (addr, bits) = part.split_once('/').unwrap_or((part, ""));
            let addr: IpAddr = addr.parse().map_err(|_| format!("{part:?} is not an IP address or network"))?;
            let max = if addr.is_ipv4() { 32 } else { 128 };
            let bits = if bits.is_empty() {
                max
            } else {
                bits.parse::<u8>().ok().filter(|bits| *bits <= max).ok_or_else(|| format!("{part:?}: bad prefix"))?
            };
            networks.push((addr, bits));
        }
        Ok(TrustedProxies(networks))
    }
}

impl TrustedProxies {
    pub fn contains(&self, addr: IpAddr) -> bool {
        let addr = canonical(addr);
        self.0.iter().any(|(network, bits)| same_prefix(canonical(*network), addr, *bits))
    }
}

fn canonical(addr: IpAddr) -> IpAddr {
    match addr {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(addr, IpAddr::V4),
        v4 => v4,
    }
}

fn same_prefix(a: IpAddr, b: IpAddr, bits: u8) -> bool {
    let mask = |width: u32| if bits == 0 { 0 } else { u128::MAX << (width - u32::from(bits)) };
    match (a, b) {
        (IpAddr::V4(a), IpAddr::V4(b)) => {
            let mask = mask(32) as u32;
            u32::from(a) & mask == u32::from(b) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(b)) => {
            let mask = mask(128);
            u128::from(a) & mask == u128::from(b) & mask
        }
        _ => false,
    }
}

/// The visitor's address as the limits see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(IpAddr);

impl ClientAddr {
    /// From the socket's peer and the request's forwarding headers: walking
    /// the chain from the nearest hop, every trusted proxy is skipped and the
    /// first address that is not one is the visitor. A peer that is not a
    /// trusted proxy is the visitor itself, whatever the headers say.
    pub fn resolve(
        peer: IpAddr,
        forwarded_for: Option<&str>,
        forwarded: Option<&str>,
        trusted: &TrustedProxies,
    ) -> Self {
        let peer = canonical(peer);
        if !trusted.contains(peer) {
            return ClientAddr(peer);
        }
        let chain: Vec<IpAddr> = match (forwarded_for, forwarded) {
            (Some(list), _) => list.split(',').filter_map(|hop| hop.trim().parse().ok()).collect(),
            (None, Some(forwarded)) => forwarded_hops(forwarded),
            (None, None) => Vec::new(),
        };
        let visitor = chain.into_iter().map(canonical).rev().find(|hop| !trusted.contains(*hop));
        ClientAddr(visitor.unwrap_or(peer))
    }

    pub fn ip(self) -> IpAddr {
        self.0
    }

    /// The key limits count under: the IPv4 address, or the IPv6 /64.
    pub fn limit_key(self) -> String {
        match self.0 {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        }
    }
}

/// The `for=` addresses of an RFC 7239 `Forwarded` header, nearest hop last.
fn forwarded_hops(header: &str) -> Vec<IpAddr> {
    header
        .split(',')
        .filter_map(|element| {
            element.split(';').find_map(|pair| {
                let (key, value) = pair.trim().split_once('=')?;
                if !key.eq_ignore_ascii_case("for") {
                    return None;
                }
                let value = value.trim_matches('"');
                // `[2001:db8::1]:4711` or `192.0.2.1:4711` or a bare address.
                let host = match value.strip_prefix('[') {
                    Some(rest) => rest.split(']').next()?,
                    None => value.split(':').next()?,
                };
                host.parse().ok()
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(raw: &str) -> IpAddr {
        raw.parse().unwrap()
    }

    #[test]
    fn the_peer_is_the_visitor_unless_it_is_a_trusted_proxy() {
        let none = TrustedProxies::default();
        let local: TrustedProxies = "127.0.0.1, 10.0.0.0/8".parse().unwrap();
        let resolve = |peer, xff, trusted| ClientAddr::resolve(ip(peer), xff, None, trusted).limit_key();
        assert_eq!(resolve("203.0.113.9", Some("1.2.3.4"), &none), "203.0.113.9");
        assert_eq!(resolve("127.0.0.1", Some("1.2.3.4"), &local), "1.2.3.4");
        // A forged first hop is ignored: the proxy appended what it saw.
        assert_eq!(resolve("127.0.0.1", Some("6.6.6.6, 1.2.3.4"), &local), "1.2.3.4");
        // Two trusted proxies in a row.
        assert_eq!(resolve("127.0.0.1", Some("1.2.3.4, 10.1.2.3"), &local), "1.2.3.4");
        assert_eq!(resolve("127.0.0.1", None, &local), "127.0.0.1");
        assert_eq!(resolve("::ffff:127.0.0.1", Some("1.2.3.4"), &local), "1.2.3.4", "IPv4-mapped peers");
    }

    #[test]
    fn forwarded_headers_are_read_too() {
        let local: TrustedProxies = "::1".parse().unwrap();
        let addr = ClientAddr::resolve(
            ip("::1"),
            None,
            Some("for=192.0.2.60;proto=https, for=\"[2001:db8::7]:4711\""),
            &local,
        );
        assert_eq!(addr.limit_key(), "2001:db8:0:0::/64");
    }

    #[test]
    fn ipv6_addresses_count_per_64() {
        let key = |raw| ClientAddr(ip(raw)).limit_key();
        assert_eq!(key("2001:db8:1:2::1"), key("2001:db8:1:2:ffff:ffff:ffff:ffff"));
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
    }

    #[test]
    fn bad_proxy_lists_are_refused() {
        assert!("10.0.0.0/33".parse::<TrustedProxies>().is_err());
        assert!("proxy.local".parse::<TrustedProxies>().is_err());
        assert!("".parse::<TrustedProxies>().unwrap().0.is_empty());
    }
}
