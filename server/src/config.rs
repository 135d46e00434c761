//! The relay's configuration, read in one place.
//!
//! Every setting is a command-line flag; each also has an environment variable, which the
//! flag overrides:
//!
//! | flag | variable | default | meaning |
//! |---|---|---|---|
//! | `--addr` | `LINLI_ADDR` | `127.0.0.1:8080` | where to listen |
//! | `--data` | `LINLI_DATA` | `./data` | the data directory: the embedded store (`linli.redb`) and the token key (`token.key`, also with `--store`) |
//! | `--store` | `LINLI_STORE` | the embedded redb file in `--data` | `postgres://USER@HOST:PORT/DB` (or `postgresql://…`, any libpq-style URL without TLS): keep the data in that PostgreSQL database instead (table `linli_kv`, created if absent; one relay per database) |
//! | `--dist` | `LINLI_DIST` | `./dist` | the built app to serve (absent: API and sync only) |
//! | `--demo` | `LINLI_DEMO=1` | off | on first start, seed the demo community |
//! | `--demo-scale` | `LINLI_DEMO_SCALE` | off | instead of the demo, seed five years of a community of N residents (benchmarks) |
//! | `--origin` | `LINLI_ORIGINS` (comma-separated) | the listening address | extra allowed WebSocket origins |
//! | `--max-connections` | `LINLI_MAX_CONNECTIONS` | 10000 | open sync connections at most |
//! | `--max-message-bytes` | `LINLI_MAX_MESSAGE_BYTES` | 4 MiB | largest frame; larger closes with 1009 |
//! | `--rate` | `LINLI_RATE` | 200 | messages per second per connection (bursts of 4 s allowed) |
//! | `--handshake-timeout-ms` | `LINLI_HANDSHAKE_TIMEOUT_MS` | 10000 | time to send `join` |
//! | `--idle-timeout-ms` | `LINLI_IDLE_TIMEOUT_MS` | 90000 | silence (no frame, no pong) before closing |
//! | `--trusted-proxy` | `LINLI_TRUSTED_PROXIES` (comma-separated) | none | reverse proxies (IP addresses; the flag repeats or takes a comma list) whose `X-Forwarded-For` is believed: only when the peer is one of them is the header's last hop that is not a trusted proxy taken as the client's address. By default the header is ignored and the client is the TCP peer. |
//! | `--max-connections-per-device` | `LINLI_MAX_CONNECTIONS_PER_DEVICE` | 4 | open sync connections of one device; more get HTTP 429 |
//! | `--max-connections-per-person` | `LINLI_MAX_CONNECTIONS_PER_PERSON` | 8 | open sync connections of all one person's devices; more get HTTP 429 |
//! | `--max-queued-bytes` | `LINLI_MAX_QUEUED_BYTES` | 32 MiB | bytes waiting to be written to one socket; beyond, it is closed with 4010 |
//! | `--max-queued-frames` | `LINLI_MAX_QUEUED_FRAMES` | 262144 | frames waiting to be written to one socket; beyond, it is closed with 4010 (a join's offers go out 1,024 at a time, the next after each answer, so even a staff phone's first sync of 77,000 documents queues little) |
//! | `--max-unhandled-bytes` | `LINLI_MAX_UNHANDLED_BYTES` | 4 MiB | bytes one socket has sent that the relay has not yet handled and committed; beyond, it stops reading that socket until it has (so while PostgreSQL is away, what phones send waits in their own buffers, not in the relay's memory). A larger frame waits for all of it |
//! | `--drain-timeout-ms` | `LINLI_DRAIN_TIMEOUT_MS` | 30000 | longest wait to write one frame to a socket; beyond, it is closed with 4010 |
//! | `--challenges-per-address` | `LINLI_CHALLENGES_PER_ADDRESS` | 1000 | sign-in challenges one client address may ask for per 2 minutes (a challenge's lifetime): a hundredth of the relay-wide table, and room for a whole community behind one carrier NAT |
//! | `--max-pending-challenges` | `LINLI_MAX_PENDING_CHALLENGES` | 100000 | challenges waiting for an answer, relay-wide |
//! | `--enrol-per-address` | `LINLI_ENROL_PER_ADDRESS` | 10 | enrolment attempts (refused ones too) per client address per minute |
//! | `--enrol-overall` | `LINLI_ENROL_OVERALL` | 300 | enrolment attempts per minute relay-wide; an address's attempts beyond its own limit do not count |
//! | `--header-read-timeout-ms` | `LINLI_HEADER_READ_TIMEOUT_MS` | 10000 | time to send a request's headers; a slower connection is closed |
//! | `--max-connections-per-address` | `LINLI_MAX_CONNECTIONS_PER_ADDRESS` | 256 | open TCP connections (HTTP and sync) from one client address; more are closed at once (trusted proxies are exempt) |
//! | `--max-new-docs-per-day` | `LINLI_MAX_NEW_DOCS_PER_DAY` | 500 | new documents (requests…) one person may create through sync in a day; more are refused with `quota` |
//! | `--max-new-docs-per-device-day` | `LINLI_MAX_NEW_DOCS_PER_DEVICE_DAY` | 300 | new documents one device may create through sync in a day (one stolen or broken phone cannot spend its owner's whole quota); more are refused with `quota` |
//! | `--max-change-bytes-per-day` | `LINLI_MAX_CHANGE_BYTES_PER_DAY` | 64 MiB | bytes of changes one person may send through sync in a day; beyond, changes are refused with `quota` |
//! | `--max-change-bytes-per-device-day` | `LINLI_MAX_CHANGE_BYTES_PER_DEVICE_DAY` | 32 MiB | bytes of changes one device may send through sync in a day; beyond, changes are refused with `quota` |
//! | `--max-photos-per-day` | `LINLI_MAX_PHOTOS_PER_DAY` | 100 | photos one person may upload in a day; more get HTTP 429 |
//! | `--max-photo-bytes-per-day` | `LINLI_MAX_PHOTO_BYTES_PER_DAY` | 30 MiB | bytes of photos one person may upload in a day; more get HTTP 429 |
//! | `--max-photos-per-device-day` | `LINLI_MAX_PHOTOS_PER_DEVICE_DAY` | 60 | photos one device may upload in a day (within its person's limit); more get HTTP 429 |
//! | `--max-photo-bytes-per-device-day` | `LINLI_MAX_PHOTO_BYTES_PER_DEVICE_DAY` | 20 MiB | bytes of photos one device may upload in a day; more get HTTP 429 |
//! | `--no-open311` | `LINLI_OPEN311=0` | on | turn off the open read API (`/open311/v2/…`, GeoReport v2) |
//! | `--open311-per-address` | `LINLI_OPEN311_PER_ADDRESS` | 60 | calls to the open read API one client address may make per minute; more get HTTP 429 |
//! | `--rotate-token-key` | `LINLI_ROTATE_TOKEN_KEY=1` | off | at start, make a new token key; tokens signed with the previous one stay valid until they expire |
//!
//! Client addresses are counted per IPv4 address or per IPv6 /64 (one household's prefix).

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use linli_shared::relay::RelayConfig;

/// Largest body of an enrolment, challenge or token request (they are a few hundred bytes);
/// larger gets 413 before it is read into memory.
pub const MAX_AUTH_BODY_BYTES: usize = 4096;

/// How long a sign-in challenge may be answered.
pub const CHALLENGE_LIFETIME_MS: linli_shared::time::Millis = 2 * linli_shared::time::MINUTE;

/// Client addresses a per-address limiter tracks in one window (its memory bound); attempts
/// from addresses beyond are refused until the window ends.
pub const MAX_TRACKED_ADDRESSES: usize = 100_000;

/// How long the relay's closing handshake on a sync socket may take before it is dropped.
pub const CLOSE_TIMEOUT_MS: u64 = 2_000;

#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub data: PathBuf,
    /// A PostgreSQL URL to keep the data in; `None`: the redb file in `data`.
    pub store: Option<String>,
    pub dist: Option<PathBuf>,
    pub demo: bool,
    /// Residents of the five-year benchmark community to seed instead of the demo.
    pub demo_scale: Option<u32>,
    pub origins: Vec<String>,
    pub max_connections: usize,
    pub max_message_bytes: usize,
    pub handshake_timeout_ms: u64,
    pub idle_timeout_ms: u64,
    /// Reverse proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpAddr>,
    pub max_connections_per_device: usize,
    pub max_connections_per_person: usize,
    pub max_queued_bytes: usize,
    pub max_queued_frames: usize,
    /// Bytes one socket may have in the hub's queue, sent but not yet handled and committed.
    pub max_unhandled_bytes: usize,
    pub drain_timeout_ms: u64,
    pub challenges_per_address: u32,
    pub max_pending_challenges: usize,
    pub enrol_per_address: u32,
    pub enrol_overall: u32,
    pub rotate_token_key: bool,
    pub header_read_timeout_ms: u64,
    pub max_connections_per_address: usize,
    /// Photos, and bytes of photos, one person may upload in a day.
    pub max_photos_per_day: u64,
    pub max_photo_bytes_per_day: u64,
    /// Photos one device may upload per day (a person's devices share the person's limit).
    pub max_photos_per_device_day: u64,
    /// Bytes of photos one device may upload per day.
    pub max_photo_bytes_per_device_day: u64,
    /// Whether the open read API (Open311 GeoReport v2) is served.
    pub open311: bool,
    /// Calls to the open read API per client address per minute.
    pub open311_per_address: u32,
    pub relay: RelayConfig,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{HELP}")]
    Help,
    #[error("unknown flag {0} (try --help)")]
    UnknownFlag(String),
    #[error("flag {0} needs a value")]
    MissingValue(String),
    #[error("bad value for {0}: {1}")]
    BadValue(String, String),
}

pub const HELP: &str = "linli-server: the Linli relay

usage: linli-server [--addr HOST:PORT] [--data DIR] [--store postgres://USER@HOST:PORT/DB]
                    [--dist DIR] [--demo] [--demo-scale N]
                    [--origin URL]... [--max-connections N] [--max-message-bytes N]
                    [--rate N] [--handshake-timeout-ms N] [--idle-timeout-ms N]
                    [--trusted-proxy IP[,IP...]]... [--max-connections-per-device N]
                    [--max-connections-per-person N] [--max-queued-bytes N]
                    [--max-queued-frames N] [--drain-timeout-ms N]
                    [--challenges-per-address N] [--max-pending-challenges N]
                    [--enrol-per-address N] [--enrol-overall N] [--rotate-token-key]
                    [--header-read-timeout-ms N] [--max-connections-per-address N]
                    [--max-new-docs-per-day N] [--max-new-docs-per-device-day N]
                    [--max-change-bytes-per-day N] [--max-change-bytes-per-device-day N]
                    [--max-photos-per-day N] [--max-photos-per-device-day N]
                    [--max-photo-bytes-per-device-day N]
                    [--max-photo-bytes-per-day N] [--no-open311]
                    [--open311-per-address N]

Each flag also reads an environment variable (LINLI_ADDR, LINLI_DATA, LINLI_STORE, LINLI_DIST,
LINLI_DEMO=1, LINLI_DEMO_SCALE, LINLI_ORIGINS, LINLI_MAX_CONNECTIONS, LINLI_MAX_MESSAGE_BYTES, LINLI_RATE,
LINLI_HANDSHAKE_TIMEOUT_MS, LINLI_IDLE_TIMEOUT_MS, LINLI_TRUSTED_PROXIES,
LINLI_MAX_CONNECTIONS_PER_DEVICE, LINLI_MAX_CONNECTIONS_PER_PERSON, LINLI_MAX_QUEUED_BYTES,
LINLI_MAX_QUEUED_FRAMES, LINLI_DRAIN_TIMEOUT_MS, LINLI_CHALLENGES_PER_ADDRESS,
LINLI_MAX_PENDING_CHALLENGES, LINLI_ENROL_PER_ADDRESS, LINLI_ENROL_OVERALL,
LINLI_ROTATE_TOKEN_KEY=1, LINLI_HEADER_READ_TIMEOUT_MS, LINLI_MAX_CONNECTIONS_PER_ADDRESS,
LINLI_MAX_NEW_DOCS_PER_DAY, LINLI_MAX_NEW_DOCS_PER_DEVICE_DAY, LINLI_MAX_CHANGE_BYTES_PER_DAY,
LINLI_MAX_CHANGE_BYTES_PER_DEVICE_DAY, LINLI_MAX_PHOTOS_PER_DAY, LINLI_MAX_PHOTO_BYTES_PER_DAY,
LINLI_MAX_PHOTOS_PER_DEVICE_DAY, LINLI_MAX_PHOTO_BYTES_PER_DEVICE_DAY,
LINLI_OPEN311=0, LINLI_OPEN311_PER_ADDRESS); a flag wins over its variable.

The open read API for the city's systems (Open311 GeoReport v2: /open311/v2/services.json,
/open311/v2/requests.json, /open311/v2/requests/ID.json) shows requests without personal data
to anyone; --no-open311 turns it off.

The data lives in one redb file in --data unless --store names a PostgreSQL database (one relay
per database; the token key stays in --data either way).

Behind a reverse proxy, name it with --trusted-proxy so that rate limits count the clients
behind it (from X-Forwarded-For) rather than the proxy; the header is never believed otherwise.";

impl Default for Config {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data: PathBuf::from("data"),
            store: None,
            dist: Some(PathBuf::from("dist")),
            demo: false,
            demo_scale: None,
            origins: Vec::new(),
            max_connections: 10_000,
            max_message_bytes: 4 << 20,
            handshake_timeout_ms: 10_000,
            idle_timeout_ms: 90_000,
            trusted_proxies: Vec::new(),
            max_connections_per_device: 4,
            max_connections_per_person: 8,
            max_queued_bytes: 32 << 20,
            max_queued_frames: 262_144,
            max_unhandled_bytes: 4 << 20,
            drain_timeout_ms: 30_000,
            challenges_per_address: 1_000,
            max_pending_challenges: 100_000,
            enrol_per_address: 10,
            enrol_overall: 300,
            rotate_token_key: false,
            header_read_timeout_ms: 10_000,
            max_photos_per_day: 100,
            max_photo_bytes_per_day: 30 * 1024 * 1024,
            max_photos_per_device_day: 60,
            max_photo_bytes_per_device_day: 20 * 1024 * 1024,
            max_connections_per_address: 256,
            open311: true,
            open311_per_address: 60,
            relay: RelayConfig::default(),
        }
    }
}

impl Config {
    /// Reads the environment, then the flags (which win).
    pub fn from_env_and_args(
        env: impl Fn(&str) -> Option<String>,
        args: impl IntoIterator<Item = String>,
    ) -> Result<Self, ConfigError> {
        let mut c = Config::default();
        let vars = [
            ("LINLI_ADDR", "--addr"),
            ("LINLI_DATA", "--data"),
            ("LINLI_STORE", "--store"),
            ("LINLI_DIST", "--dist"),
            ("LINLI_MAX_CONNECTIONS", "--max-connections"),
            ("LINLI_MAX_MESSAGE_BYTES", "--max-message-bytes"),
            ("LINLI_RATE", "--rate"),
            ("LINLI_HANDSHAKE_TIMEOUT_MS", "--handshake-timeout-ms"),
            ("LINLI_IDLE_TIMEOUT_MS", "--idle-timeout-ms"),
            ("LINLI_DEMO_SCALE", "--demo-scale"),
            ("LINLI_TRUSTED_PROXIES", "--trusted-proxy"),
            (
                "LINLI_MAX_CONNECTIONS_PER_DEVICE",
                "--max-connections-per-device",
            ),
            (
                "LINLI_MAX_CONNECTIONS_PER_PERSON",
                "--max-connections-per-person",
            ),
            ("LINLI_MAX_QUEUED_BYTES", "--max-queued-bytes"),
            ("LINLI_MAX_QUEUED_FRAMES", "--max-queued-frames"),
            ("LINLI_MAX_UNHANDLED_BYTES", "--max-unhandled-bytes"),
            ("LINLI_DRAIN_TIMEOUT_MS", "--drain-timeout-ms"),
            ("LINLI_CHALLENGES_PER_ADDRESS", "--challenges-per-address"),
            ("LINLI_MAX_PENDING_CHALLENGES", "--max-pending-challenges"),
            ("LINLI_ENROL_PER_ADDRESS", "--enrol-per-address"),
            ("LINLI_ENROL_OVERALL", "--enrol-overall"),
            ("LINLI_HEADER_READ_TIMEOUT_MS", "--header-read-timeout-ms"),
            ("LINLI_MAX_NEW_DOCS_PER_DAY", "--max-new-docs-per-day"),
            (
                "LINLI_MAX_NEW_DOCS_PER_DEVICE_DAY",
                "--max-new-docs-per-device-day",
            ),
            (
                "LINLI_MAX_CHANGE_BYTES_PER_DAY",
                "--max-change-bytes-per-day",
            ),
            (
                "LINLI_MAX_CHANGE_BYTES_PER_DEVICE_DAY",
                "--max-change-bytes-per-device-day",
            ),
            ("LINLI_MAX_PHOTOS_PER_DAY", "--max-photos-per-day"),
            ("LINLI_MAX_PHOTO_BYTES_PER_DAY", "--max-photo-bytes-per-day"),
            (
                "LINLI_MAX_PHOTOS_PER_DEVICE_DAY",
                "--max-photos-per-device-day",
            ),
            (
                "LINLI_MAX_PHOTO_BYTES_PER_DEVICE_DAY",
                "--max-photo-bytes-per-device-day",
            ),
            (
                "LINLI_MAX_CONNECTIONS_PER_ADDRESS",
                "--max-connections-per-address",
            ),
            ("LINLI_OPEN311_PER_ADDRESS", "--open311-per-address"),
        ];
        for (var, flag) in vars {
            if let Some(v) = env(var) {
                c.set(flag, &v)?;
            }
        }
        if env("LINLI_DEMO").is_some_and(|v| v == "1" || v == "true") {
            c.demo = true;
        }
        if env("LINLI_ROTATE_TOKEN_KEY").is_some_and(|v| v == "1" || v == "true") {
            c.rotate_token_key = true;
        }
        if env("LINLI_OPEN311").is_some_and(|v| v == "0" || v == "false") {
            c.open311 = false;
        }
        if let Some(list) = env("LINLI_ORIGINS") {
            c.origins.extend(
                list.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from),
            );
        }
        let mut args = args.into_iter();
        while let Some(flag) = args.next() {
            match flag.as_str() {
                "--demo" => c.demo = true,
                "--rotate-token-key" => c.rotate_token_key = true,
                "--no-open311" => c.open311 = false,
                "--help" | "-h" => return Err(ConfigError::Help),
                f if f.starts_with("--") => {
                    let v = args
                        .next()
                        .ok_or_else(|| ConfigError::MissingValue(f.to_string()))?;
                    c.set(f, &v)?;
                }
                other => return Err(ConfigError::UnknownFlag(other.to_string())),
            }
        }
        Ok(c)
    }

    fn set(&mut self, flag: &str, v: &str) -> Result<(), ConfigError> {
        let bad =
            |e: &dyn std::fmt::Display| ConfigError::BadValue(flag.to_string(), e.to_string());
        let num = |v: &str| v.parse::<u64>().map_err(|e| bad(&e));
        match flag {
            "--addr" => self.addr = v.parse().map_err(|e| bad(&e))?,
            "--data" => self.data = PathBuf::from(v),
            "--store" if v.is_empty() => self.store = None,
            "--store" if crate::store::is_postgres_url(v) => self.store = Some(v.to_string()),
            "--store" => return Err(bad(&"expected a postgres:// URL")),
            "--dist" => self.dist = (!v.is_empty()).then(|| PathBuf::from(v)),
            "--origin" => self.origins.push(v.to_string()),
            "--demo-scale" => {
                self.demo_scale = Some(num(v)?.clamp(1, 1_000_000) as u32);
                self.demo = true;
            }
            "--max-connections" => self.max_connections = num(v)? as usize,
            "--max-message-bytes" => self.max_message_bytes = num(v)? as usize,
            "--rate" => self.relay.max_messages_per_second = num(v)? as u32,
            "--handshake-timeout-ms" => self.handshake_timeout_ms = num(v)?,
            "--idle-timeout-ms" => self.idle_timeout_ms = num(v)?,
            "--trusted-proxy" => {
                for a in v.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                    self.trusted_proxies.push(a.parse().map_err(|e| bad(&e))?);
                }
            }
            "--max-connections-per-device" => self.max_connections_per_device = num(v)? as usize,
            "--max-connections-per-person" => self.max_connections_per_person = num(v)? as usize,
            "--max-queued-bytes" => self.max_queued_bytes = num(v)? as usize,
            "--max-queued-frames" => self.max_queued_frames = num(v)? as usize,
            "--max-unhandled-bytes" => {
                self.max_unhandled_bytes = (num(v)? as usize).clamp(1, u32::MAX as usize);
            }
            "--drain-timeout-ms" => self.drain_timeout_ms = num(v)?,
            "--challenges-per-address" => self.challenges_per_address = num(v)? as u32,
            "--max-pending-challenges" => self.max_pending_challenges = num(v)? as usize,
            "--enrol-per-address" => self.enrol_per_address = num(v)? as u32,
            "--enrol-overall" => self.enrol_overall = num(v)? as u32,
            "--header-read-timeout-ms" => self.header_read_timeout_ms = num(v)?,
            "--max-connections-per-address" => self.max_connections_per_address = num(v)? as usize,
            "--max-new-docs-per-day" => {
                self.relay.max_new_docs_per_person_per_day = num(v)?.min(u64::from(u32::MAX)) as u32
            }
            "--max-new-docs-per-device-day" => {
                self.relay.max_new_docs_per_device_per_day = num(v)?.min(u64::from(u32::MAX)) as u32
            }
            "--max-change-bytes-per-day" => {
                self.relay.max_change_bytes_per_person_per_day = num(v)?
            }
            "--max-change-bytes-per-device-day" => {
                self.relay.max_change_bytes_per_device_per_day = num(v)?
            }
            "--max-photos-per-day" => self.max_photos_per_day = num(v)?,
            "--max-photo-bytes-per-day" => self.max_photo_bytes_per_day = num(v)?,
            "--max-photos-per-device-day" => self.max_photos_per_device_day = num(v)?,
            "--max-photo-bytes-per-device-day" => self.max_photo_bytes_per_device_day = num(v)?,
            "--open311-per-address" => {
                self.open311_per_address = num(v)?.min(u64::from(u32::MAX)) as u32
            }
            other => return Err(ConfigError::UnknownFlag(other.to_string())),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_environment_variables() {
        let env = |k: &str| match k {
            "LINLI_ADDR" => Some("127.0.0.1:9000".to_string()),
            "LINLI_DEMO" => Some("1".to_string()),
            _ => None,
        };
        let c = Config::from_env_and_args(env, ["--addr".into(), "127.0.0.1:9001".into()]).unwrap();
        assert_eq!(c.addr.port(), 9001);
        assert!(c.demo);
    }

    #[test]
    fn trusted_proxies_repeat_and_take_comma_lists_and_none_is_the_default() {
        let none = |_: &str| None;
        assert!(
            Config::from_env_and_args(none, [])
                .unwrap()
                .trusted_proxies
                .is_empty()
        );
        let env = |k: &str| (k == "LINLI_TRUSTED_PROXIES").then(|| "10.0.0.1".to_string());
        let c = Config::from_env_and_args(
            env,
            [
                "--trusted-proxy".into(),
                "10.0.0.2, ::1".into(),
                "--trusted-proxy".into(),
                "10.0.0.3".into(),
            ],
        )
        .unwrap();
        assert_eq!(c.trusted_proxies.len(), 4);
        assert!(
            Config::from_env_and_args(none, ["--trusted-proxy".into(), "proxy.local".into()])
                .is_err()
        );
    }

    #[test]
    fn the_open_api_is_on_by_default_and_a_flag_or_variable_turns_it_off() {
        let none = |_: &str| None;
        let c = Config::from_env_and_args(none, []).unwrap();
        assert!(c.open311);
        assert_eq!(c.open311_per_address, 60);
        assert!(
            !Config::from_env_and_args(none, ["--no-open311".into()])
                .unwrap()
                .open311
        );
        let env = |k: &str| (k == "LINLI_OPEN311").then(|| "0".to_string());
        assert!(!Config::from_env_and_args(env, []).unwrap().open311);
        let c =
            Config::from_env_and_args(none, ["--open311-per-address".into(), "5".into()]).unwrap();
        assert_eq!(c.open311_per_address, 5);
    }

    #[test]
    fn the_store_is_redb_by_default_and_postgres_with_a_url() {
        let none = |_: &str| None;
        assert_eq!(Config::from_env_and_args(none, []).unwrap().store, None);
        let url = "postgres://linli@127.0.0.1:5432/linli";
        let env = |k: &str| (k == "LINLI_STORE").then(|| url.to_string());
        assert_eq!(
            Config::from_env_and_args(env, []).unwrap().store.as_deref(),
            Some(url)
        );
        assert!(Config::from_env_and_args(none, ["--store".into(), "./data".into()]).is_err());
    }

    #[test]
    fn unknown_flags_and_bad_values_are_errors() {
        let none = |_: &str| None;
        assert!(Config::from_env_and_args(none, ["--nope".into(), "1".into()]).is_err());
        assert!(Config::from_env_and_args(none, ["--rate".into(), "fast".into()]).is_err());
        assert!(Config::from_env_and_args(none, ["--rate".into()]).is_err());
    }
}
