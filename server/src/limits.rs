//! Fair limits on what strangers and devices may ask of the relay: who the client is (behind
//! a trusted reverse proxy or not), per-address rate windows, and per-device and per-person
//! connection slots. The values live in [`crate::config`].

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex};

use axum::http::HeaderMap;
use linli_shared::time::Millis;

/// The client's address as limits count it: an IPv4 address, or an IPv6 /64 (one subscriber's
/// prefix: counting single IPv6 addresses would give an attacker 2^64 fresh ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AddrKey(IpAddr);

impl From<IpAddr> for AddrKey {
    fn from(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(_) => AddrKey(ip),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => AddrKey(IpAddr::V4(v4)),
                None => {
                    let s = v6.segments();
                    AddrKey(IpAddr::V6(Ipv6Addr::new(
                        s[0], s[1], s[2], s[3], 0, 0, 0, 0,
                    )))
                }
            },
        }
    }
}

/// The client's address: the TCP peer, unless the peer is a trusted reverse proxy; then the
/// last hop of `X-Forwarded-For` that is not itself a trusted proxy. The header is never
/// believed from anyone else, and an entry that is not an address ends the walk (the peer is
/// used).
pub fn client_ip(peer: SocketAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|t| t == ip);
    let peer_ip = peer.ip().to_canonical();
    if !is_trusted(&peer_ip) {
        return peer_ip;
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .collect();
    let mut client = peer_ip;
    for hop in hops.iter().rev() {
        let Ok(ip) = hop.parse::<IpAddr>().map(|ip| ip.to_canonical()) else {
            return peer_ip;
        };
        client = ip;
        if !is_trusted(&ip) {
            break;
        }
    }
    client
}

/// Fixed-window counts per client address, with a relay-wide budget. An address's attempts
/// beyond its own allowance are refused and do not count against the relay-wide budget, so
/// one address can never use up what the others are owed.
pub struct Limiter {
    per_address: u32,
    overall: u32,
    window: Millis,
    /// Addresses tracked in one window at most (memory bound); new ones beyond are refused.
    max_tracked: usize,
    state: Mutex<Window>,
}

#[derive(Default)]
struct Window {
    start: Millis,
    total: u32,
    by_address: HashMap<AddrKey, u32>,
}

impl Limiter {
    pub fn new(per_address: u32, overall: u32, window: Millis) -> Self {
        Self {
            per_address,
            overall,
            window,
            max_tracked: crate::config::MAX_TRACKED_ADDRESSES,
            state: Mutex::new(Window::default()),
        }
    }

    /// Counts an attempt from `from`; `false` means refuse it.
    pub fn allow(&self, from: IpAddr, now: Millis) -> bool {
        let Ok(mut w) = self.state.lock() else {
            return false;
        };
        if now.saturating_sub(w.start) >= self.window {
            *w = Window {
                start: now,
                ..Window::default()
            };
        }
        let key = AddrKey::from(from);
        if !w.by_address.contains_key(&key) && w.by_address.len() >= self.max_tracked {
            return false;
        }
        let n = w.by_address.entry(key).or_insert(0);
        *n = n.saturating_add(1);
        if *n > self.per_address {
            return false;
        }
        w.total = w.total.saturating_add(1);
        w.total <= self.overall
    }
}

/// Open sync connections per device and per person.
pub struct ConnLimits {
    per_device: usize,
    per_person: usize,
    open: Mutex<(HashMap<String, usize>, HashMap<String, usize>)>,
}

/// Why a connection was refused a slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SlotRefused {
    #[error("too many connections for this device")]
    Device,
    #[error("too many connections for this person")]
    Person,
}

/// A connection's place under the per-device and per-person limits, given back on drop.
pub struct Slot {
    limits: Arc<ConnLimits>,
    device: String,
    person: String,
}

impl ConnLimits {
    pub fn new(per_device: usize, per_person: usize) -> Self {
        Self {
            per_device,
            per_person,
            open: Mutex::new((HashMap::new(), HashMap::new())),
        }
    }

    pub fn try_acquire(self: &Arc<Self>, device: &str, person: &str) -> Result<Slot, SlotRefused> {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let (devices, people) = &mut *open;
        if devices.get(device).copied().unwrap_or(0) >= self.per_device {
            return Err(SlotRefused::Device);
        }
        if people.get(person).copied().unwrap_or(0) >= self.per_person {
            return Err(SlotRefused::Person);
        }
        *devices.entry(device.to_string()).or_insert(0) += 1;
        *people.entry(person.to_string()).or_insert(0) += 1;
        Ok(Slot {
            limits: self.clone(),
            device: device.to_string(),
            person: person.to_string(),
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.limits.open.lock().unwrap_or_else(|p| p.into_inner());
        let (devices, people) = &mut *open;
        for (map, k) in [(devices, &self.device), (people, &self.person)] {
            if let Some(n) = map.get_mut(k) {
                *n -= 1;
                if *n == 0 {
                    map.remove(k);
                }
            }
        }
    }
}

/// Open HTTP connections (WebSockets included) per client address.
pub struct AddrConns {
    max: usize,
    open: Mutex<HashMap<AddrKey, usize>>,
}

/// A connection's place under [`AddrConns`], given back on drop.
pub struct AddrSlot {
    conns: Arc<AddrConns>,
    key: AddrKey,
}

impl AddrConns {
    pub fn new(max: usize) -> Self {
        Self {
            max,
            open: Mutex::new(HashMap::new()),
        }
    }

    pub fn try_acquire(self: &Arc<Self>, from: IpAddr) -> Option<AddrSlot> {
        let key = AddrKey::from(from);
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let n = open.entry(key).or_insert(0);
        if *n >= self.max {
            return None;
        }
        *n += 1;
        Some(AddrSlot {
            conns: self.clone(),
            key,
        })
    }

    /// Connections open from an address.
    pub fn open_from(&self, from: IpAddr) -> usize {
        let open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        open.get(&AddrKey::from(from)).copied().unwrap_or(0)
    }
}

impl Drop for AddrSlot {
    fn drop(&mut self) {
        let mut open = self.conns.open.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = open.get_mut(&self.key) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xff(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", v.parse().unwrap());
        h
    }

    #[test]
    fn forwarded_for_is_believed_only_from_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let peer = SocketAddr::new(proxy, 5000);
        let stranger = SocketAddr::from(([203, 0, 113, 9], 5000));
        let h = xff("1.2.3.4, 198.51.100.7");
        assert_eq!(client_ip(stranger, &h, &[proxy]), stranger.ip());
        assert_eq!(client_ip(peer, &h, &[]), proxy);
        // The last hop that is not a trusted proxy: what the client wrote first is ignored.
        assert_eq!(
            client_ip(peer, &h, &[proxy]),
            "198.51.100.7".parse::<IpAddr>().unwrap()
        );
        let two: IpAddr = "10.0.0.2".parse().unwrap();
        let h = xff("1.2.3.4, 198.51.100.7, 10.0.0.2");
        assert_eq!(
            client_ip(peer, &h, &[proxy, two]),
            "198.51.100.7".parse::<IpAddr>().unwrap()
        );
        assert_eq!(client_ip(peer, &xff("junk"), &[proxy]), proxy);
        assert_eq!(client_ip(peer, &HeaderMap::new(), &[proxy]), proxy);
    }

    #[test]
    fn one_address_cannot_spend_the_relay_wide_budget() {
        let l = Limiter::new(3, 5, 60_000);
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        assert!((0..3).all(|_| l.allow(a, 0)));
        assert!((0..100).all(|_| !l.allow(a, 1)));
        assert!(l.allow(b, 2));
        assert!(l.allow(a, 60_000), "a new window");
        let v6a: IpAddr = "2001:db8::1".parse().unwrap();
        let v6b: IpAddr = "2001:db8::2".parse().unwrap();
        assert_eq!(AddrKey::from(v6a), AddrKey::from(v6b));
    }
}
