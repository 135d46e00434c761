//! The open read API for the city's systems, in the shape of Open311 GeoReport v2
//! (<https://wiki.open311.org/GeoReport_v2>): the community's requests without personal data,
//! read-only, JSON only.
//!
//! What a request shows is an [`OpenRecord`], made from the request by [`OpenRecord::of`]: the
//! board's key of the request (a hash that does not reveal the document's id), its category,
//! the grid, its times and its colour's deadline. Nothing else of the request is read into
//! it, so no name, person, household, flat, phone, photo, answer or rating can reach an
//! answer. Not its title either: the board shows a title to the grid's own residents, but a
//! title may name a building, a flat or a neighbour in words no filter recognises, and this
//! answer goes to anyone; the category (`service_name`) says what kind of problem it is. Pure: the
//! relay passes `now`, the community and the records; the routes are in
//! `server/src/open311.rs`.

use serde::{Deserialize, Serialize};

use crate::domain::board::board_key;
use crate::domain::community::{Community, DeadlineConfig};
use crate::domain::requests::deadline::due_at;
use crate::domain::requests::{Colour, Request, Status};
use crate::ids::DocumentId;
use crate::time::{DAY, HOUR, MINUTE, Millis, SECOND, days_from_civil, shanghai_midnight};

/// The API's paths.
pub mod paths {
    pub const SERVICES: &str = "/open311/v2/services.json";
    pub const REQUESTS: &str = "/open311/v2/requests.json";

    /// One request, by its `service_request_id`.
    pub fn request(id: &str) -> String {
        format!("/open311/v2/requests/{id}.json")
    }
}

/// Most requests one answer lists (the specification's cap).
pub const MAX_REQUESTS: usize = 1000;
/// The window searched when no dates are given, and the widest one may ask for.
pub const WINDOW: Millis = 90 * DAY;
/// Most ids in one `service_request_id` list.
pub const MAX_IDS: usize = 100;
/// Longest query string read; a longer one is a bad request.
pub const MAX_QUERY_BYTES: usize = 4096;
/// Who answers for every request: the community's neighbourhood committee.
pub const AGENCY: &str = "社区居委会";

/// A service: one request category of the community.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Service {
    pub service_code: String,
    pub service_name: String,
    pub description: String,
    /// Whether the service has attributes to fill in (never: filing is the app's).
    pub metadata: bool,
    #[serde(rename = "type")]
    pub kind: String,
    pub keywords: String,
    pub group: String,
}

/// A request as GeoReport v2 shows it. Every field of the specification is present; those
/// Linli has nothing for are `null` (no coordinates, no postcode, no photos: a photo could
/// show a face or a flat).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceRequest {
    pub service_request_id: String,
    /// `open` or `closed`.
    pub status: String,
    /// A generic word for where the request stands, never an answer's text.
    pub status_notes: Option<String>,
    pub service_name: String,
    pub service_code: String,
    /// Always `None`: a title may name a flat or a neighbour (see the module's comment).
    pub description: Option<String>,
    pub agency_responsible: String,
    pub service_notice: Option<String>,
    pub requested_datetime: String,
    pub updated_datetime: String,
    pub expected_datetime: Option<String>,
    /// The grid's name, never a flat.
    pub address: String,
    pub address_id: Option<String>,
    pub zipcode: Option<String>,
    pub lat: Option<f64>,
    pub long: Option<f64>,
    pub media_url: Option<String>,
}

/// One error as the specification shapes it (an answer is an array of them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: u16,
    pub description: String,
}

/// What the relay keeps of a request for this API: nothing personal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenRecord {
    /// The board's key of the request: the `service_request_id`.
    pub key: String,
    pub category: String,
    pub grid: String,
    pub status: Status,
    pub filed_at: Millis,
    /// The last entry in its history (or the filing).
    pub updated_at: Millis,
    /// When the answer clock started and the colour now: its deadline depends on the
    /// community's settings, which may change, so it is computed when answering.
    pub clock_start: Millis,
    pub colour: Colour,
}

impl OpenRecord {
    pub fn of(id: &DocumentId, req: &Request) -> Self {
        OpenRecord {
            key: board_key(id),
            category: req.category.clone(),
            grid: req.grid.clone(),
            status: req.status(),
            filed_at: req.filed_at,
            updated_at: req
                .events
                .iter()
                .map(|e| e.at)
                .max()
                .unwrap_or(req.filed_at)
                .max(req.filed_at),
            clock_start: req.clock_start(),
            colour: req.colour_now(),
        }
    }

    pub fn closed(&self) -> bool {
        self.status == Status::Resolved
    }
}

/// The community's categories as services.
pub fn services(community: &Community) -> Vec<Service> {
    community
        .categories
        .iter()
        .map(|c| Service {
            service_code: c.id.clone(),
            service_name: c.zh.clone(),
            description: c.en.clone(),
            metadata: false,
            kind: "realtime".into(),
            keywords: if c.en.is_empty() {
                c.zh.clone()
            } else {
                format!("{},{}", c.zh, c.en)
            },
            group: "社区诉求".into(),
        })
        .collect()
}

/// Why a query was refused (answered 400, with the message as the error's description).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("the query string is longer than {MAX_QUERY_BYTES} bytes")]
    TooLong,
    #[error("the query string is not URL-encoded name=value pairs")]
    Malformed,
    #[error("{0} is given more than once")]
    Repeated(String),
    #[error("{0} is not a date and time in ISO 8601 (e.g. 2026-12-01T00:00:00+08:00)")]
    BadDate(String),
    #[error("end_date is before start_date")]
    EndBeforeStart,
    #[error("start_date to end_date spans more than 90 days")]
    SpanTooLong,
    #[error("status must be open, closed or both, comma-separated")]
    BadStatus,
    #[error("at most {MAX_IDS} service_request_id values at once")]
    TooManyIds,
    #[error("service_request_id must be ids this API gave")]
    BadId,
    #[error("service_code must be category codes")]
    BadCode,
}

/// A `GET requests` query, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// Given ids override every other filter (as the specification says).
    pub ids: Option<Vec<String>>,
    pub codes: Option<Vec<String>>,
    pub from: Millis,
    pub to: Millis,
    /// `Some(true)` closed only, `Some(false)` open only.
    pub closed: Option<bool>,
}

fn list(v: &str) -> Vec<String> {
    v.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// An id this API gives: 16 lower-case hex digits.
fn id_ok(s: &str) -> bool {
    s.len() == 16
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl Query {
    /// Reads the query's parameters (decoded pairs; unknown ones, such as `jurisdiction_id`,
    /// are ignored). Without dates, the last 90 days up to `now`.
    pub fn parse(pairs: &[(String, String)], now: Millis) -> Result<Query, QueryError> {
        let mut seen: Vec<&str> = Vec::new();
        let mut q = Query {
            ids: None,
            codes: None,
            from: now - WINDOW,
            to: now,
            closed: None,
        };
        let (mut start, mut end) = (None, None);
        for (k, v) in pairs {
            let known = [
                "service_request_id",
                "service_code",
                "start_date",
                "end_date",
                "status",
            ];
            let Some(name) = known.iter().find(|n| **n == k.as_str()) else {
                continue;
            };
            if seen.contains(name) {
                return Err(QueryError::Repeated(k.clone()));
            }
            seen.push(name);
            match *name {
                "service_request_id" => {
                    let ids = list(v);
                    if ids.len() > MAX_IDS {
                        return Err(QueryError::TooManyIds);
                    }
                    if !ids.iter().all(|i| id_ok(i)) {
                        return Err(QueryError::BadId);
                    }
                    q.ids = Some(ids);
                }
                "service_code" => {
                    let codes = list(v);
                    if codes.len() > MAX_IDS
                        || codes.iter().any(|c| {
                            c.len() > crate::domain::limits::ID_MAX
                                || !c
                                    .bytes()
                                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
                        })
                    {
                        return Err(QueryError::BadCode);
                    }
                    q.codes = Some(codes);
                }
                "start_date" => {
                    start = Some(parse_datetime(v).ok_or_else(|| QueryError::BadDate(k.clone()))?)
                }
                "end_date" => {
                    end = Some(parse_datetime(v).ok_or_else(|| QueryError::BadDate(k.clone()))?)
                }
                _ => {
                    let mut open = false;
                    let mut closed = false;
                    for s in list(v) {
                        match s.as_str() {
                            "open" => open = true,
                            "closed" => closed = true,
                            _ => return Err(QueryError::BadStatus),
                        }
                    }
                    q.closed = match (open, closed) {
                        (true, false) => Some(false),
                        (false, true) => Some(true),
                        (true, true) => None,
                        (false, false) => return Err(QueryError::BadStatus),
                    };
                }
            }
        }
        match (start, end) {
            (Some(s), Some(e)) => (q.from, q.to) = (s, e),
            (Some(s), None) => (q.from, q.to) = (s, s + WINDOW),
            (None, Some(e)) => (q.from, q.to) = (e - WINDOW, e),
            (None, None) => {}
        }
        if q.to < q.from {
            return Err(QueryError::EndBeforeStart);
        }
        if q.to - q.from > WINDOW {
            return Err(QueryError::SpanTooLong);
        }
        Ok(q)
    }

    /// Whether a record answers this query.
    pub fn matches(&self, r: &OpenRecord) -> bool {
        if let Some(ids) = &self.ids {
            return ids.contains(&r.key);
        }
        self.codes.as_ref().is_none_or(|c| c.contains(&r.category))
            && r.filed_at >= self.from
            && r.filed_at <= self.to
            && self.closed.is_none_or(|c| c == r.closed())
    }
}

/// The requests a query asks for, newest first, at most [`MAX_REQUESTS`].
pub fn select<'a>(
    records: impl IntoIterator<Item = &'a OpenRecord>,
    q: &Query,
) -> Vec<&'a OpenRecord> {
    let mut found: Vec<&OpenRecord> = records.into_iter().filter(|r| q.matches(r)).collect();
    found.sort_by(|a, b| b.filed_at.cmp(&a.filed_at).then_with(|| a.key.cmp(&b.key)));
    found.truncate(MAX_REQUESTS);
    found
}

/// A generic word for a status (never what anyone wrote).
fn status_note(s: Status) -> &'static str {
    match s {
        Status::Filed => "已提交",
        Status::Accepted => "已受理",
        Status::InProgress => "处理中",
        Status::Answered => "已答复",
        Status::Resolved => "已办结",
    }
}

/// How a record is shown, with the community's names for categories and grids.
pub fn show(r: &OpenRecord, community: &Community) -> ServiceRequest {
    let service_name = community
        .categories
        .iter()
        .find(|c| c.id == r.category)
        .map_or_else(|| r.category.clone(), |c| c.zh.clone());
    let address = community
        .grids
        .iter()
        .find(|g| g.id == r.grid)
        .map_or_else(|| r.grid.clone(), |g| g.name.clone());
    ServiceRequest {
        service_request_id: r.key.clone(),
        status: if r.closed() { "closed" } else { "open" }.into(),
        status_notes: Some(status_note(r.status).into()),
        service_name,
        service_code: r.category.clone(),
        description: None,
        agency_responsible: format!("{}{}", address, AGENCY),
        service_notice: None,
        requested_datetime: format_datetime(r.filed_at),
        updated_datetime: format_datetime(r.updated_at),
        expected_datetime: Some(format_datetime(expected(r, &community.deadlines))),
        address,
        address_id: None,
        zipcode: None,
        lat: None,
        long: None,
        media_url: None,
    }
}

/// The colour's deadline, as the request's page shows it.
fn expected(r: &OpenRecord, cfg: &DeadlineConfig) -> Millis {
    due_at(r.clock_start, r.colour, cfg)
}

/// An instant in ISO 8601 in Shanghai time: `2026-12-06T23:27:32+08:00`.
pub fn format_datetime(at: Millis) -> String {
    let local = at.div_euclid(SECOND) * SECOND + crate::time::SHANGHAI_OFFSET;
    let days = local.div_euclid(DAY);
    let in_day = local.rem_euclid(DAY);
    let (y, m, d) = crate::time::civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}+08:00",
        in_day / HOUR,
        (in_day % HOUR) / MINUTE,
        (in_day % MINUTE) / SECOND
    )
}

/// Reads an ISO 8601 / RFC 3339 date and time (`2026-12-01T08:00:00+08:00`, `…Z`, seconds and
/// fractions optional), or a date alone (`2026-12-01`, midnight in Shanghai). A `+` of the
/// offset that a query string turned into a space is read as `+`.
pub fn parse_datetime(s: &str) -> Option<Millis> {
    let s = s.trim_start();
    let num = |t: &str| -> Option<i64> {
        (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse().ok())
            .flatten()
    };
    let date = s.get(..10)?;
    let (y, m, d) = (
        num(date.get(..4)?)?,
        num(date.get(5..7)?)?,
        num(date.get(8..10)?)?,
    );
    if date.as_bytes()[4] != b'-' || date.as_bytes()[7] != b'-' {
        return None;
    }
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    let rest = &s[10..];
    if rest.is_empty() {
        return Some(shanghai_midnight(y as i32, m as u32, d as u32));
    }
    let rest = rest.strip_prefix(['T', 't'])?;
    // The time of day, up to the zone.
    let zone_at = rest.find(['Z', 'z', '+', '-', ' ']).filter(|&i| i >= 5)?;
    let (time, zone) = rest.split_at(zone_at);
    let mut parts = time.splitn(3, ':');
    let hh = num(parts.next()?)?;
    let mm = num(parts.next()?)?;
    let (ss, frac) = match parts.next() {
        None => (0, 0),
        Some(sec) => {
            let (whole, frac) = sec.split_once('.').unwrap_or((sec, ""));
            let frac_ms = if frac.is_empty() {
                0
            } else {
                let digits: String = frac.chars().take(3).collect();
                num(frac)?;
                num(&format!("{digits:0<3}"))?
            };
            (num(whole)?, frac_ms)
        }
    };
    if hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    let offset = match zone {
        "Z" | "z" => 0,
        _ => {
            let sign = match zone.as_bytes()[0] {
                b'+' | b' ' => 1,
                b'-' => -1,
                _ => return None,
            };
            let z = &zone[1..];
            let (oh, om) = match z.split_once(':') {
                Some((h, m)) => (h, m),
                None if z.len() == 4 => z.split_at(2),
                None => return None,
            };
            if oh.len() != 2 || om.len() != 2 {
                return None;
            }
            let (oh, om) = (num(oh)?, num(om)?);
            if oh > 23 || om > 59 {
                return None;
            }
            sign * (oh * HOUR + om * MINUTE)
        }
    };
    let days = days_from_civil(y as i32, m as u32, d as u32);
    Some(days * DAY + hh * HOUR + mm * MINUTE + ss * SECOND + frac - offset)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::community::{Grid, default_categories, default_templates};
    use crate::domain::requests::{Event, EventKind};

    fn community() -> Community {
        Community {
            name: "水榭花都".into(),
            grids: vec![Grid {
                id: "g01".into(),
                name: "第1网格".into(),
            }],
            categories: default_categories(),
            deadlines: DeadlineConfig::default(),
            templates: default_templates(),
        }
    }

    fn request() -> Request {
        Request {
            title: "楼道灯不亮，联系13812345678".into(),
            description: "3单元402 王秀英 13812345678".into(),
            category: "facilities".into(),
            colour: Colour::Red,
            photos: vec!["abc".into()],
            grid: "g01".into(),
            household: "h-1".into(),
            subject: "p-wang".into(),
            filed_by: "p-wang".into(),
            filed_by_name: "王秀英".into(),
            filed_at: 1_000 * DAY,
            source: String::new(),
            events: vec![Event {
                id: "1@a".into(),
                at: 1_000 * DAY + HOUR,
                by: "p-li".into(),
                by_name: "李网格".into(),
                kind: EventKind::Answer {
                    text: "已联系王秀英".into(),
                    substantive: true,
                },
                photos: Vec::new(),
            }],
        }
    }

    #[test]
    fn a_shown_request_carries_no_title_and_nothing_personal() {
        let id = DocumentId::from_bytes([7; 16]);
        let r = OpenRecord::of(&id, &request());
        let shown = show(&r, &community());
        let json = serde_json::to_string(&shown).unwrap();
        for secret in [
            "13812345678",
            "王秀英",
            "402",
            "p-wang",
            "h-1",
            "p-li",
            "李网格",
            "abc",
            "楼道灯不亮",
            &id.to_string(),
        ] {
            assert!(!json.contains(secret), "{secret} in {json}");
        }
        assert_eq!(shown.service_request_id, board_key(&id));
        assert_eq!(shown.description, None);
        assert_eq!(shown.status, "open");
        assert_eq!(shown.status_notes.as_deref(), Some("已答复"));
        assert_eq!(shown.address, "第1网格");
        assert_eq!(shown.service_name, "设施损坏");
        assert_eq!(shown.requested_datetime, format_datetime(1_000 * DAY));
        assert_eq!(shown.updated_datetime, format_datetime(1_000 * DAY + HOUR));
        assert_eq!(
            shown.expected_datetime,
            Some(format_datetime(
                request().deadline(&DeadlineConfig::default())
            ))
        );
    }

    #[test]
    fn dates_read_in_the_forms_clients_send_and_bad_ones_are_refused() {
        let t = shanghai_midnight(2026, 12, 1);
        assert_eq!(parse_datetime("2026-12-01"), Some(t));
        assert_eq!(parse_datetime("2026-12-01T00:00:00+08:00"), Some(t));
        assert_eq!(parse_datetime("2026-12-01T00:00:00 08:00"), Some(t));
        assert_eq!(parse_datetime("2026-11-30T16:00:00Z"), Some(t));
        assert_eq!(parse_datetime("2026-11-30T16:00Z"), Some(t));
        assert_eq!(parse_datetime("2026-11-30T16:00:00.250Z"), Some(t + 250));
        assert_eq!(parse_datetime("2026-11-30T11:00:00-0500"), Some(t));
        for bad in [
            "",
            "yesterday",
            "2026-02-30",
            "2026-13-01",
            "2026-12-01T25:00:00Z",
            "2026-12-01T10:00:00",
            "2026-12-01T10:00:00+8",
            "2026/12/01",
        ] {
            assert_eq!(parse_datetime(bad), None, "{bad}");
        }
        let at = 1_765_000_123_000;
        assert_eq!(parse_datetime(&format_datetime(at)), Some(at));
    }

    #[test]
    fn a_query_defaults_to_ninety_days_and_refuses_what_the_specification_does_not_allow() {
        let now = shanghai_midnight(2026, 12, 6);
        let p = |pairs: &[(&str, &str)]| {
            let pairs: Vec<(String, String)> = pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            Query::parse(&pairs, now)
        };
        let q = p(&[("jurisdiction_id", "linli")]).unwrap();
        assert_eq!((q.from, q.to, q.closed), (now - WINDOW, now, None));
        let q = p(&[("start_date", "2026-11-01")]).unwrap();
        assert_eq!(q.to - q.from, WINDOW);
        assert_eq!(p(&[("status", "open")]).unwrap().closed, Some(false));
        assert_eq!(p(&[("status", "closed")]).unwrap().closed, Some(true));
        assert_eq!(p(&[("status", "open,closed")]).unwrap().closed, None);
        assert_eq!(p(&[("status", "done")]), Err(QueryError::BadStatus));
        assert_eq!(
            p(&[("start_date", "2026-01-01"), ("end_date", "2026-12-01")]),
            Err(QueryError::SpanTooLong)
        );
        assert_eq!(
            p(&[("start_date", "2026-12-01"), ("end_date", "2026-11-01")]),
            Err(QueryError::EndBeforeStart)
        );
        assert!(matches!(
            p(&[("end_date", "soon")]),
            Err(QueryError::BadDate(_))
        ));
        assert_eq!(
            p(&[("service_request_id", "not-an-id")]),
            Err(QueryError::BadId)
        );
        assert_eq!(
            p(&[("status", "open"), ("status", "closed")]),
            Err(QueryError::Repeated("status".into()))
        );
        let many = vec!["0123456789abcdef"; MAX_IDS + 1].join(",");
        assert_eq!(
            p(&[("service_request_id", many.as_str())]),
            Err(QueryError::TooManyIds)
        );
    }

    #[test]
    fn ids_override_the_other_filters_and_lists_are_newest_first_and_capped() {
        let now = 2_000 * DAY;
        let records: Vec<OpenRecord> = (0..MAX_REQUESTS as i64 + 5)
            .map(|n| {
                let mut req = request();
                req.filed_at = now - n * MINUTE;
                req.events.clear();
                let mut b = [0u8; 16];
                b[..8].copy_from_slice(&n.to_le_bytes());
                OpenRecord::of(&DocumentId::from_bytes(b), &req)
            })
            .collect();
        let all = Query::parse(&[], now).unwrap();
        let got = select(&records, &all);
        assert_eq!(got.len(), MAX_REQUESTS);
        assert!(got.windows(2).all(|w| w[0].filed_at >= w[1].filed_at));
        assert_eq!(got[0].filed_at, now);
        let old = &records[MAX_REQUESTS + 4];
        let pairs = vec![
            ("service_request_id".to_string(), old.key.clone()),
            ("status".to_string(), "closed".to_string()),
        ];
        let by_id = Query::parse(&pairs, now).unwrap();
        assert_eq!(select(&records, &by_id), vec![old]);
        let pairs = vec![("service_code".to_string(), "noise".to_string())];
        assert!(select(&records, &Query::parse(&pairs, now).unwrap()).is_empty());
    }
}
