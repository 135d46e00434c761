//! A request's triage colour 三色管理 and its status.

use serde::{Deserialize, Serialize};

/// The triage colour 三色管理 of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Colour {
    /// 紧急: answer within 48 hours.
    Red,
    /// 一般: within 5 days.
    Yellow,
    /// 建议: within 15 days.
    Blue,
}

impl Colour {
    pub const ALL: [Colour; 3] = [Colour::Red, Colour::Yellow, Colour::Blue];

    pub fn as_str(self) -> &'static str {
        match self {
            Colour::Red => "red",
            Colour::Yellow => "yellow",
            Colour::Blue => "blue",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "red" => Some(Colour::Red),
            "yellow" => Some(Colour::Yellow),
            "blue" => Some(Colour::Blue),
            _ => None,
        }
    }

    /// The default answer window, in hours: 48 / 120 / 360.
    pub fn default_hours(self) -> i64 {
        match self {
            Colour::Red => 48,
            Colour::Yellow => 5 * 24,
            Colour::Blue => 15 * 24,
        }
    }
}

/// Where a request stands. The order is the lifecycle's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 已提交: filed, nobody has looked yet.
    Filed,
    /// 已受理: the grid worker has taken it.
    Accepted,
    /// 处理中: work is under way.
    InProgress,
    /// 已答复: the grid worker has answered.
    Answered,
    /// 已办结: done.
    Resolved,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Filed,
        Status::Accepted,
        Status::InProgress,
        Status::Answered,
        Status::Resolved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Filed => "filed",
            Status::Accepted => "accepted",
            Status::InProgress => "in_progress",
            Status::Answered => "answered",
            Status::Resolved => "resolved",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Open means it still sits in a grid worker's queue.
    pub fn is_open(self) -> bool {
        !matches!(self, Status::Resolved)
    }
}
