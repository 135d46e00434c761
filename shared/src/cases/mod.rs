//! The local case library 本地化案例库: documented Chinese community cases shipped with the
//! app as data ([`CASES`], written up in our own words in zh-CN and English from the
//! research notes in `../shared/cases/CASES-FACTS.md`), their problem [`Tag`]s, a search that
//! works on Chinese text ([`search`]), and the matching of a community's open problems to
//! them ([`matching`]).
//!
//! Pure like the rest of `shared/`: the table is `static` data compiled into the binary (it
//! costs no parsing at start-up and works offline in the app), and matching takes what the
//! phone knows as arguments.
//!
//! A community's own cases are documents (`crate::domain::local_case`), matched by the same
//! rule ([`matching::rank_own`]) and shared with other communities as files; this module holds
//! the shipped library.

mod data;
pub mod matching;
#[cfg(test)]
mod tests;

pub use data::CASES;

/// A problem a case addresses (the tag list of CASES-FACTS.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tag {
    Clutter,
    OldEstate,
    ElderlyAlone,
    Garbage,
    Vending,
    PropertyDispute,
    OwnersCommittee,
    Parking,
    DigitalDivide,
    Volunteers,
    Merchants,
    MicroGrant,
    ParticipatoryPlanning,
    NeighbourhoodCulture,
}

impl Tag {
    pub const ALL: [Tag; 14] = [
        Tag::Clutter,
        Tag::OldEstate,
        Tag::ElderlyAlone,
        Tag::Garbage,
        Tag::Vending,
        Tag::PropertyDispute,
        Tag::OwnersCommittee,
        Tag::Parking,
        Tag::DigitalDivide,
        Tag::Volunteers,
        Tag::Merchants,
        Tag::MicroGrant,
        Tag::ParticipatoryPlanning,
        Tag::NeighbourhoodCulture,
    ];

    /// The stable key (CASES-FACTS.md's spelling; used in URLs and test ids).
    pub fn key(self) -> &'static str {
        match self {
            Tag::Clutter => "clutter",
            Tag::OldEstate => "old-estate",
            Tag::ElderlyAlone => "elderly-alone",
            Tag::Garbage => "garbage",
            Tag::Vending => "vending",
            Tag::PropertyDispute => "property-dispute",
            Tag::OwnersCommittee => "owners-committee",
            Tag::Parking => "parking",
            Tag::DigitalDivide => "digital-divide",
            Tag::Volunteers => "volunteers",
            Tag::Merchants => "merchants",
            Tag::MicroGrant => "micro-grant",
            Tag::ParticipatoryPlanning => "participatory-planning",
            Tag::NeighbourhoodCulture => "neighbourhood-culture",
        }
    }

    pub fn parse(key: &str) -> Option<Tag> {
        Tag::ALL.into_iter().find(|t| t.key() == key)
    }

    pub fn zh(self) -> &'static str {
        match self {
            Tag::Clutter => "楼道堆物",
            Tag::OldEstate => "老旧小区改造",
            Tag::ElderlyAlone => "独居老人",
            Tag::Garbage => "垃圾分类",
            Tag::Vending => "占道经营",
            Tag::PropertyDispute => "物业纠纷",
            Tag::OwnersCommittee => "业委会",
            Tag::Parking => "停车",
            Tag::DigitalDivide => "数字鸿沟",
            Tag::Volunteers => "志愿者留存",
            Tag::Merchants => "商户参与",
            Tag::MicroGrant => "微创投·自治金",
            Tag::ParticipatoryPlanning => "社区规划师",
            Tag::NeighbourhoodCulture => "邻里文化",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Tag::Clutter => "stairwell clutter",
            Tag::OldEstate => "old-estate renewal",
            Tag::ElderlyAlone => "elders living alone",
            Tag::Garbage => "garbage sorting",
            Tag::Vending => "street vending",
            Tag::PropertyDispute => "property disputes",
            Tag::OwnersCommittee => "owners' committee",
            Tag::Parking => "parking",
            Tag::DigitalDivide => "digital divide",
            Tag::Volunteers => "volunteer retention",
            Tag::Merchants => "merchant participation",
            Tag::MicroGrant => "micro-grants",
            Tag::ParticipatoryPlanning => "participatory planning",
            Tag::NeighbourhoodCulture => "neighbourhood culture",
        }
    }

    pub fn name(self, zh: bool) -> &'static str {
        if zh { self.zh() } else { self.en() }
    }
}

/// How far a source can be trusted (CASES-FACTS.md's marks; cases resting only on a weak
/// source are not shipped).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quality {
    /// A government or party-media site.
    Official,
    /// A mainstream outlet's own page.
    Media,
    /// The article reposted on a third-party site.
    Mirror,
    /// A journal article or study report.
    Academic,
}

impl Quality {
    pub fn name(self, zh: bool) -> &'static str {
        match (self, zh) {
            (Quality::Official, true) => "官方网站",
            (Quality::Official, false) => "official site",
            (Quality::Media, true) => "媒体原文",
            (Quality::Media, false) => "news outlet",
            (Quality::Mirror, true) => "转载页面",
            (Quality::Mirror, false) => "reposted copy",
            (Quality::Academic, true) => "研究文献",
            (Quality::Academic, false) => "study or journal",
        }
    }
}

/// Where a case's facts come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source {
    pub outlet: &'static str,
    /// The headline, when the research notes give it (else empty: never made up).
    pub title: &'static str,
    pub url: &'static str,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; empty when undated.
    pub date: &'static str,
    pub quality: Quality,
}

/// Two texts, Chinese first: `(zh, en)`.
pub type Bi = (&'static str, &'static str);

fn pick(t: Bi, zh: bool) -> &'static str {
    if zh { t.0 } else { t.1 }
}

/// One documented case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Case {
    /// Stable: `c` + CASES-FACTS.md's number.
    pub id: &'static str,
    /// Province or city and district.
    pub city: Bi,
    /// Street, community or estate.
    pub place: Bi,
    pub years: &'static str,
    /// The problems it addresses, the main one first.
    pub tags: &'static [Tag],
    pub title: Bi,
    /// What was done.
    pub done: Bi,
    /// Results, only the figures the sources report ("as reported").
    pub results: Bi,
    pub sources: &'static [Source],
    /// Its key figures were re-read in a stored copy of a source page; otherwise they rest on
    /// the research notes alone.
    pub checked: bool,
}

impl Case {
    pub fn city(&self, zh: bool) -> &'static str {
        pick(self.city, zh)
    }
    pub fn place(&self, zh: bool) -> &'static str {
        pick(self.place, zh)
    }
    pub fn title(&self, zh: bool) -> &'static str {
        pick(self.title, zh)
    }
    pub fn done(&self, zh: bool) -> &'static str {
        pick(self.done, zh)
    }
    pub fn results(&self, zh: bool) -> &'static str {
        pick(self.results, zh)
    }

    /// Whether the figures were re-checked, as a reader sees it.
    pub fn check_note(&self, zh: bool) -> &'static str {
        match (self.checked, zh) {
            (true, true) => "主要数字已对照来源页面的存档核对。",
            (true, false) => "Key figures re-checked against a stored copy of the source page.",
            (false, true) => "数字来自研究笔记，尚未对照来源原文核对。",
            (false, false) => {
                "Figures from our research notes; not yet re-checked against the source."
            }
        }
    }

    /// All its text, both languages, lower-cased: what [`search`] looks in.
    fn haystack(&self) -> String {
        let mut s = String::new();
        for t in [self.city, self.place, self.title, self.done, self.results] {
            s.push_str(t.0);
            s.push('\n');
            s.push_str(t.1);
            s.push('\n');
        }
        for t in self.tags {
            s.push_str(t.zh());
            s.push('\n');
            s.push_str(t.en());
            s.push('\n');
        }
        s.push_str(self.years);
        s.to_lowercase()
    }
}

/// The case with this id.
pub fn by_id(id: &str) -> Option<&'static Case> {
    CASES.iter().find(|c| c.id == id)
}

/// The cases a search box's text finds, in the table's order. Each word (split on spaces
/// and Chinese or Latin punctuation) must be found in a case's text in either language, or
/// name one of its problems the way people say it (`停车难` finds the parking cases through
/// [`matching::tags_in`]); an empty query finds every case.
pub fn search(query: &str) -> Vec<&'static Case> {
    let words: Vec<String> = query
        .split(|c: char| c.is_whitespace() || "，。、；：,.;:!?！？".contains(c))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    CASES
        .iter()
        .filter(|case| {
            let hay = case.haystack();
            words.iter().all(|w| {
                hay.contains(w.as_str())
                    || matching::tags_in(w)
                        .iter()
                        .any(|(t, _)| case.tags.contains(t))
            })
        })
        .collect()
}
