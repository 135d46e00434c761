//! The relay's configuration, read in one place.
//!
//! Every setting is a command-line flag; each also has an environment variable, which the
//! flag overrides:
//!
//! | flag | variable | default | meaning |
//! |---|---|---|---|
//! | `--addr` | `LINLI_ADDR` | `127.0.0.1:8080` | where to listen |
//! | `--data` | `LINLI_DATA` | `./data` | the data directory (the embedded store) |
//! | `--dist` | `LINLI_DIST` | `./dist` | the built app to serve (absent: API and sync only) |
//! | `--demo` | `LINLI_DEMO=1` | off | on first start, seed the demo community |
//! | `--demo-scale` | `LINLI_DEMO_SCALE` | off | instead of the demo, seed five years of a community of N residents (benchmarks) |
//! | `--origin` | `LINLI_ORIGINS` (comma-separated) | the listening address | extra allowed WebSocket origins |
//! | `--max-connections` | `LINLI_MAX_CONNECTIONS` | 10000 | open sync connections at most |
//! | `--max-message-bytes` | `LINLI_MAX_MESSAGE_BYTES` | 4 MiB | largest frame; larger closes with 1009 |
//! | `--rate` | `LINLI_RATE` | 200 | messages per second per connection (bursts of 4 s allowed) |
//! | `--handshake-timeout-ms` | `LINLI_HANDSHAKE_TIMEOUT_MS` | 10000 | time to send `join` |
//! | `--idle-timeout-ms` | `LINLI_IDLE_TIMEOUT_MS` | 90000 | silence (no frame, no pong) before closing |

use std::net::SocketAddr;
use std::path::PathBuf;

use linli_shared::relay::RelayConfig;

#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub data: PathBuf,
    pub dist: Option<PathBuf>,
    pub demo: bool,
    /// Residents of the five-year benchmark community to seed instead of the demo.
    pub demo_scale: Option<u32>,
    pub origins: Vec<String>,
    pub max_connections: usize,
    pub max_message_bytes: usize,
    pub handshake_timeout_ms: u64,
    pub idle_timeout_ms: u64,
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

usage: linli-server [--addr HOST:PORT] [--data DIR] [--dist DIR] [--demo] [--demo-scale N]
                    [--origin URL]... [--max-connections N] [--max-message-bytes N]
                    [--rate N] [--handshake-timeout-ms N] [--idle-timeout-ms N]

Each flag also reads an environment variable (LINLI_ADDR, LINLI_DATA, LINLI_DIST,
LINLI_DEMO=1, LINLI_DEMO_SCALE, LINLI_ORIGINS, LINLI_MAX_CONNECTIONS, LINLI_MAX_MESSAGE_BYTES, LINLI_RATE,
LINLI_HANDSHAKE_TIMEOUT_MS, LINLI_IDLE_TIMEOUT_MS); a flag wins over its variable.";

impl Default for Config {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data: PathBuf::from("data"),
            dist: Some(PathBuf::from("dist")),
            demo: false,
            demo_scale: None,
            origins: Vec::new(),
            max_connections: 10_000,
            max_message_bytes: 4 << 20,
            handshake_timeout_ms: 10_000,
            idle_timeout_ms: 90_000,
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
            ("LINLI_DIST", "--dist"),
            ("LINLI_MAX_CONNECTIONS", "--max-connections"),
            ("LINLI_MAX_MESSAGE_BYTES", "--max-message-bytes"),
            ("LINLI_RATE", "--rate"),
            ("LINLI_HANDSHAKE_TIMEOUT_MS", "--handshake-timeout-ms"),
            ("LINLI_IDLE_TIMEOUT_MS", "--idle-timeout-ms"),
            ("LINLI_DEMO_SCALE", "--demo-scale"),
        ];
        for (var, flag) in vars {
            if let Some(v) = env(var) {
                c.set(flag, &v)?;
            }
        }
        if env("LINLI_DEMO").is_some_and(|v| v == "1" || v == "true") {
            c.demo = true;
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
    fn unknown_flags_and_bad_values_are_errors() {
        let none = |_: &str| None;
        assert!(Config::from_env_and_args(none, ["--nope".into(), "1".into()]).is_err());
        assert!(Config::from_env_and_args(none, ["--rate".into(), "fast".into()]).is_err());
        assert!(Config::from_env_and_args(none, ["--rate".into()]).is_err());
    }
}
