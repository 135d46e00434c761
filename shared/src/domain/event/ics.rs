//! An event as an iCalendar file (RFC 5545) for the phone's calendar: one VEVENT with UTC
//! times, a stable UID, text escaped and lines folded at 75 octets, CRLF line ends.

use super::Event;
use crate::time::Millis;

/// `20261220T060000Z`
pub fn utc(at: Millis) -> String {
    let days = at.div_euclid(crate::time::DAY);
    let in_day = at.rem_euclid(crate::time::DAY) / crate::time::SECOND;
    let (y, m, d) = crate::time::civil_from_days(days);
    format!(
        "{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z",
        in_day / 3600,
        (in_day / 60) % 60,
        in_day % 60
    )
}

/// A TEXT value escaped: backslash, semicolon, comma, and new lines as `\n`.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// A content line folded at 75 octets (never inside a character), each line ending in CRLF.
fn fold(line: &str, out: &mut String) {
    let mut len = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if len + n > 75 {
            out.push_str("\r\n ");
            len = 1;
        }
        out.push(c);
        len += n;
    }
    out.push_str("\r\n");
}

/// The calendar file of event `id`, stamped `now`.
pub fn ics(id: &str, e: &Event, now: Millis) -> String {
    let mut out = String::new();
    let lines = [
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//Linli//Events//ZH".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        "BEGIN:VEVENT".to_string(),
        format!("UID:{id}@linli"),
        format!("DTSTAMP:{}", utc(now)),
        format!("DTSTART:{}", utc(e.starts_at)),
        format!("DTEND:{}", utc(e.ends_at)),
        format!("SUMMARY:{}", escape(&e.title)),
        format!("LOCATION:{}", escape(&e.place)),
        format!("DESCRIPTION:{}", escape(&e.description)),
        "END:VEVENT".to_string(),
        "END:VCALENDAR".to_string(),
    ];
    for l in &lines {
        fold(l, &mut out);
    }
    out
}
