//! A vote and a flat's ballot sheet as read from their documents; the fold of a flat's
//! ballots into the one that counts; the tally.

use std::collections::BTreeMap;

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ROOT, ReadDoc};
use serde::{Deserialize, Serialize};

use crate::docutil::{Fields, get_obj, map_keys};
use crate::domain::scope::expect_kind;
use crate::domain::talks::vote::{Choice, Electorate, Matter, Outcome, decide};
use crate::domain::{DocKind, InputError, ModelError, SCHEMA, doc_kind};
use crate::time::{DAY, Millis};

use super::{VoteError, limits};

impl Matter {
    pub const ALL: [Matter; 5] = [
        Matter::UseFund,
        Matter::RaiseFund,
        Matter::Rebuild,
        Matter::ChangeSharedParts,
        Matter::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Matter::UseFund => "use_fund",
            Matter::RaiseFund => "raise_fund",
            Matter::Rebuild => "rebuild",
            Matter::ChangeSharedParts => "change_shared_parts",
            Matter::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Matter::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

impl Choice {
    pub const ALL: [Choice; 3] = [Choice::Yes, Choice::No, Choice::Abstain];

    pub fn as_str(self) -> &'static str {
        match self {
            Choice::Yes => "yes",
            Choice::No => "no",
            Choice::Abstain => "abstain",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Choice::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// A vote as everyone reads it: the question, the matter, the period, the electorate's
/// totals and, once closed, the published result. No flat and no ballot is named here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vote {
    pub question: String,
    pub matter: Matter,
    /// The talk (document id) and its agenda item whose decision sent this to the owners.
    #[serde(default)]
    pub talk: Option<String>,
    #[serde(default)]
    pub item: Option<String>,
    pub created_at: Millis,
    pub opens_at: Millis,
    pub closes_at: Millis,
    pub electorate: Electorate,
    #[serde(default)]
    pub closed_at: Option<Millis>,
    #[serde(default)]
    pub result: Option<Outcome>,
}

impl Vote {
    pub fn read(doc: &Automerge) -> Result<Vote, ModelError> {
        expect_kind(doc, DocKind::OwnersVote)?;
        let f = Fields::of(doc, &ROOT);
        let e = f
            .obj("electorate", ObjType::Map)
            .map(|o| Fields::of(doc, &o))
            .ok_or(ModelError::Malformed("electorate"))?;
        Ok(Vote {
            question: f.str("question").unwrap_or_default(),
            matter: f
                .str("matter")
                .and_then(|m| Matter::parse(&m))
                .ok_or(ModelError::Malformed("matter"))?,
            talk: f.str("talk").filter(|s| !s.is_empty()),
            item: f.str("item").filter(|s| !s.is_empty()),
            created_at: f.i64("created_at").unwrap_or(0),
            opens_at: f.i64("opens_at").ok_or(ModelError::Malformed("opens_at"))?,
            closes_at: f
                .i64("closes_at")
                .ok_or(ModelError::Malformed("closes_at"))?,
            electorate: Electorate {
                area: e.i64("area").unwrap_or(0),
                owners: e.i64("owners").unwrap_or(0),
            },
            closed_at: f.i64("closed_at"),
            result: f
                .obj("result", ObjType::Map)
                .and_then(|o| read_outcome(&Fields::of(doc, &o))),
        })
    }

    /// Open for ballots at `now`: after opening, before closing, not closed by staff.
    pub fn is_open(&self, now: Millis) -> bool {
        self.closed_at.is_none() && now >= self.opens_at && now <= self.closes_at
    }
}

pub(super) fn read_outcome(f: &Fields) -> Option<Outcome> {
    Some(Outcome {
        participating_area: f.i64("participating_area")?,
        participating_owners: f.i64("participating_owners")?,
        yes_area: f.i64("yes_area")?,
        yes_owners: f.i64("yes_owners")?,
        quorum: f.bool("quorum")?,
        passed: f.bool("passed")?,
    })
}

/// What staff type to start a vote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoteDraft {
    pub question: String,
    pub matter: Matter,
    #[serde(default)]
    pub talk: Option<String>,
    #[serde(default)]
    pub item: Option<String>,
    pub opens_at: Millis,
    pub closes_at: Millis,
}

impl VoteDraft {
    /// Checks what was typed at `now`: the question, and a period that closes after it opens
    /// and at most [`limits::PERIOD_MAX_DAYS`] days from now.
    pub fn check(&self, now: Millis) -> Result<String, InputError> {
        let q = crate::domain::errors::check_text(&self.question, limits::QUESTION_MAX)?;
        if let Some(f) = crate::pii::find(&q).first() {
            return Err(InputError::PersonalData { what: f.kind });
        }
        if self.closes_at <= self.opens_at {
            return Err(VoteError::ClosesBeforeOpens.into());
        }
        if self.closes_at > now + limits::PERIOD_MAX_DAYS * DAY {
            return Err(VoteError::ClosesTooLate {
                days: limits::PERIOD_MAX_DAYS,
            }
            .into());
        }
        if self.closes_at <= now {
            return Err(VoteError::ClosesInThePast.into());
        }
        Ok(q)
    }
}

/// Writes a new vote into an empty document.
pub fn create_vote(
    doc: &mut Automerge,
    draft: &VoteDraft,
    roll: &[RollEntry],
    now: Millis,
) -> Result<(), ModelError> {
    if doc_kind(doc).is_some() {
        return Err(ModelError::NotEmpty("owners_vote"));
    }
    let question = draft.check(now)?;
    let electorate = electorate(roll)?;
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "kind", DocKind::OwnersVote.as_str())?;
        tx.put(ROOT, "schema", SCHEMA)?;
        tx.put(ROOT, "question", question.as_str())?;
        tx.put(ROOT, "matter", draft.matter.as_str())?;
        if let (Some(t), Some(i)) = (&draft.talk, &draft.item) {
            tx.put(ROOT, "talk", t.as_str())?;
            tx.put(ROOT, "item", i.as_str())?;
        }
        tx.put(ROOT, "created_at", now)?;
        tx.put(ROOT, "opens_at", draft.opens_at)?;
        tx.put(ROOT, "closes_at", draft.closes_at)?;
        let e = tx.put_object(ROOT, "electorate", ObjType::Map)?;
        tx.put(&e, "area", electorate.area)?;
        tx.put(&e, "owners", electorate.owners)?;
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// Staff close a vote and publish its result (computed from the sheets they hold).
pub fn close_vote(doc: &mut Automerge, result: &Outcome, now: Millis) -> Result<(), ModelError> {
    let v = Vote::read(doc)?;
    if v.closed_at.is_some() {
        return Err(VoteError::Closed.into());
    }
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "closed_at", now)?;
        let r = tx.put_object(ROOT, "result", ObjType::Map)?;
        tx.put(&r, "participating_area", result.participating_area)?;
        tx.put(&r, "participating_owners", result.participating_owners)?;
        tx.put(&r, "yes_area", result.yes_area)?;
        tx.put(&r, "yes_owners", result.yes_owners)?;
        tx.put(&r, "quorum", result.quorum)?;
        tx.put(&r, "passed", result.passed)?;
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// One flat on the roll, as staff's phone takes it from the people's records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RollEntry {
    /// Building-unit-room, e.g. `7-2-301`.
    pub flat: String,
    /// Its exclusive floor area in hundredths of m².
    pub area: i64,
    pub household: String,
    pub grid: String,
}

impl RollEntry {
    /// The building: what comes before the first `-` of the flat.
    pub fn building(&self) -> &str {
        building_of(&self.flat)
    }
}

pub fn building_of(flat: &str) -> &str {
    flat.split('-').next().unwrap_or(flat)
}

/// The roll from the people's records (flat, area, household, grid of each person): one entry
/// per flat, sorted by flat; the flats whose records give no floor area come back apart, so
/// staff see who is missing.
pub fn roll_from_records(
    records: impl IntoIterator<Item = (String, Option<i64>, String, String)>,
) -> (Vec<RollEntry>, Vec<String>) {
    let mut flats: BTreeMap<String, (Option<i64>, String, String)> = BTreeMap::new();
    for (flat, area, household, grid) in records {
        let flat = flat.trim().to_string();
        if flat.is_empty() || household.is_empty() || grid.is_empty() {
            continue;
        }
        let e = flats.entry(flat).or_insert((None, household, grid));
        if e.0.is_none() {
            e.0 = area.filter(|a| (1..=limits::AREA_MAX).contains(a));
        }
    }
    let mut roll = Vec::new();
    let mut missing = Vec::new();
    for (flat, (area, household, grid)) in flats {
        match area {
            Some(area) => roll.push(RollEntry {
                flat,
                area,
                household,
                grid,
            }),
            None => missing.push(flat),
        }
    }
    (roll, missing)
}

/// The electorate of a roll: its whole area and its owners (one per flat).
pub fn electorate(roll: &[RollEntry]) -> Result<Electorate, InputError> {
    if roll.is_empty() {
        return Err(VoteError::EmptyRoll.into());
    }
    if roll.len() > limits::ROLL_MAX {
        return Err(VoteError::RollTooLarge {
            max: limits::ROLL_MAX,
        }
        .into());
    }
    Ok(Electorate {
        area: roll.iter().map(|r| r.area).sum(),
        owners: roll.len() as i64,
    })
}

/// One ballot as written into a sheet, under the key `<flat>|<by>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ballot {
    pub choice: Choice,
    /// When it was cast or entered (the device's corrected clock).
    pub at: Millis,
    /// Who wrote it: the owner on their phone, or the collector entering a paper list.
    pub by: String,
    #[serde(default)]
    pub by_name: String,
    /// Entered from a paper list by a collector (not the owner's own phone).
    pub paper: bool,
}

/// A flat's ballot sheet as its readers hold it (the household, the collectors of its grid,
/// staff): the roll entry, the period, and every ballot written for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sheet {
    /// The vote's document id.
    pub vote: String,
    pub flat: String,
    pub area: i64,
    pub household: String,
    pub grid: String,
    pub opens_at: Millis,
    pub closes_at: Millis,
    #[serde(default)]
    pub closed_at: Option<Millis>,
    /// Every ballot written for the flat, by its key's writer, in key order.
    pub ballots: Vec<Ballot>,
}

/// The key a ballot is written under: `<flat>|<writer>`.
pub fn ballot_key(flat: &str, by: &str) -> String {
    format!("{flat}|{by}")
}

impl Sheet {
    pub fn read(doc: &Automerge) -> Result<Sheet, ModelError> {
        expect_kind(doc, DocKind::VoteSheet)?;
        let f = Fields::of(doc, &ROOT);
        let flat = f.str("flat").ok_or(ModelError::Malformed("flat"))?;
        let mut ballots = Vec::new();
        if let Some(map) = f.obj("ballots", ObjType::Map) {
            for key in map_keys(doc, &map) {
                let Some(b) = get_obj(doc, &map, &key, ObjType::Map) else {
                    continue;
                };
                if let Some(b) = read_ballot(&Fields::of(doc, &b))
                    && key == ballot_key(&flat, &b.by)
                {
                    ballots.push(b);
                }
            }
        }
        Ok(Sheet {
            vote: f.str("vote").unwrap_or_default(),
            area: f.i64("area").unwrap_or(0),
            household: f.str("household").unwrap_or_default(),
            grid: f.str("grid").unwrap_or_default(),
            opens_at: f.i64("opens_at").unwrap_or(0),
            closes_at: f.i64("closes_at").unwrap_or(0),
            closed_at: f.i64("closed_at"),
            flat,
            ballots,
        })
    }

    /// The ballot that counts for this flat ([`fold`]).
    pub fn counted(&self) -> Option<&Ballot> {
        fold(&self.ballots)
    }

    /// Open for ballots at `now` (as far as this sheet knows).
    pub fn is_open(&self, now: Millis) -> bool {
        self.closed_at.is_none() && now >= self.opens_at && now <= self.closes_at
    }
}

pub(super) fn read_ballot(f: &Fields) -> Option<Ballot> {
    Some(Ballot {
        choice: Choice::parse(&f.str("choice")?)?,
        at: f.i64("at")?,
        by: f.str("by")?,
        by_name: f.str("by_name").unwrap_or_default(),
        paper: f.bool("paper")?,
    })
}

/// The one ballot that counts among those written for a flat, the same on every phone
/// whatever order they arrived in: an owner's own phone beats a paper entry; then the later
/// entry; then the greater writer id.
pub fn fold(ballots: &[Ballot]) -> Option<&Ballot> {
    ballots
        .iter()
        .max_by(|a, b| (!a.paper, a.at, &a.by).cmp(&(!b.paper, b.at, &b.by)))
}

/// Creates a flat's ballot sheet for a vote (staff, when the vote is created).
pub fn create_sheet(
    doc: &mut Automerge,
    vote: &str,
    entry: &RollEntry,
    opens_at: Millis,
    closes_at: Millis,
    now: Millis,
) -> Result<(), ModelError> {
    if doc_kind(doc).is_some() {
        return Err(ModelError::NotEmpty("vote_sheet"));
    }
    if !(1..=limits::AREA_MAX).contains(&entry.area) {
        return Err(VoteError::BadArea.into());
    }
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "kind", DocKind::VoteSheet.as_str())?;
        tx.put(ROOT, "schema", SCHEMA)?;
        tx.put(ROOT, "vote", vote)?;
        tx.put(ROOT, "flat", entry.flat.as_str())?;
        tx.put(ROOT, "area", entry.area)?;
        tx.put(ROOT, "household", entry.household.as_str())?;
        tx.put(ROOT, "grid", entry.grid.as_str())?;
        tx.put(ROOT, "created_at", now)?;
        tx.put(ROOT, "opens_at", opens_at)?;
        tx.put(ROOT, "closes_at", closes_at)?;
        // Created up front, so phones writing ballots concurrently write into the same map.
        tx.put_object(ROOT, "ballots", ObjType::Map)?;
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// Writes (or rewrites) the writer's ballot for the sheet's flat at `now`.
pub fn cast(
    doc: &mut Automerge,
    by: &str,
    by_name: &str,
    choice: Choice,
    paper: bool,
    now: Millis,
) -> Result<(), ModelError> {
    let sheet = Sheet::read(doc)?;
    if sheet.closed_at.is_some() || now > sheet.closes_at {
        return Err(VoteError::Closed.into());
    }
    if now < sheet.opens_at {
        return Err(VoteError::NotOpenYet.into());
    }
    let key = ballot_key(&sheet.flat, by);
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        let ballots = match tx.get(ROOT, "ballots")? {
            Some((_, id)) => id,
            None => tx.put_object(ROOT, "ballots", ObjType::Map)?,
        };
        let b = tx.put_object(&ballots, key.as_str(), ObjType::Map)?;
        tx.put(&b, "choice", choice.as_str())?;
        tx.put(&b, "at", now)?;
        tx.put(&b, "by", by)?;
        tx.put(&b, "by_name", by_name)?;
        tx.put(&b, "paper", paper)?;
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// Erasure: an erased person's ballot still counts for their flat (a vote's result does not
/// change when a voter is erased) but no longer says who cast or entered it: it moves to the
/// key `<flat>|erased`, unsigned. Were there already an erased ballot for the flat, the one
/// [`fold`] prefers is kept. `None` when the sheet holds no ballot of theirs.
pub(super) fn anonymise_sheet(doc: &mut Automerge, person: &str) -> Option<Result<(), ModelError>> {
    let sheet = Sheet::read(doc).ok()?;
    let mut theirs: Vec<Ballot> = sheet
        .ballots
        .iter()
        .filter(|b| b.by == person)
        .cloned()
        .collect();
    if theirs.is_empty() {
        return None;
    }
    theirs.extend(sheet.ballots.iter().filter(|b| b.by == ERASED).cloned());
    for b in &mut theirs {
        b.by = ERASED.to_string();
        b.by_name = String::new();
    }
    let kept = fold(&theirs)?.clone();
    let old = ballot_key(&sheet.flat, person);
    let new = ballot_key(&sheet.flat, ERASED);
    Some(
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            let Some((_, ballots)) = tx.get(ROOT, "ballots")? else {
                return Ok(());
            };
            tx.delete(&ballots, old.as_str())?;
            let b = tx.put_object(&ballots, new.as_str(), ObjType::Map)?;
            tx.put(&b, "choice", kept.choice.as_str())?;
            tx.put(&b, "at", kept.at)?;
            tx.put(&b, "by", ERASED)?;
            tx.put(&b, "by_name", "")?;
            tx.put(&b, "paper", kept.paper)?;
            Ok(())
        })
        .map(drop)
        .map_err(|f| f.error.into()),
    )
}

/// Who an erased person's entries say wrote them.
const ERASED: &str = "erased";

/// Staff close a sheet with its vote: no ballot is taken after.
pub fn close_sheet(doc: &mut Automerge, now: Millis) -> Result<(), ModelError> {
    let sheet = Sheet::read(doc)?;
    if sheet.closed_at.is_some() {
        return Ok(());
    }
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "closed_at", now)?;
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// The counted ballots of a vote's sheets: flat → (area, choice), one per flat however many
/// sheets or ballots name it (sheets for the same flat are folded together).
pub fn counted(vote: &str, sheets: &[Sheet]) -> BTreeMap<String, (i64, Choice)> {
    let mut by_flat: BTreeMap<&str, (i64, Vec<Ballot>)> = BTreeMap::new();
    for s in sheets.iter().filter(|s| s.vote == vote) {
        let e = by_flat.entry(&s.flat).or_insert((s.area, Vec::new()));
        e.0 = e.0.max(s.area);
        e.1.extend(s.ballots.iter().cloned());
    }
    by_flat
        .into_iter()
        .filter_map(|(flat, (area, ballots))| {
            fold(&ballots).map(|b| (flat.to_string(), (area, b.choice)))
        })
        .collect()
}

/// The tally of a vote over the sheets at hand: [`decide`] over the folded ballots.
pub fn tally(vote_id: &str, vote: &Vote, sheets: &[Sheet]) -> Outcome {
    decide(vote.matter, vote.electorate, &counted(vote_id, sheets))
}

/// Whether a published result is consistent in itself: no more participating than the
/// electorate, no more yes than participating, and quorum and passed as art. 278 says for
/// those numbers.
pub fn result_consistent(matter: Matter, e: Electorate, r: &Outcome) -> bool {
    let nonneg = r.participating_area >= 0
        && r.participating_owners >= 0
        && r.yes_area >= 0
        && r.yes_owners >= 0;
    let bounded = r.yes_area <= r.participating_area
        && r.yes_owners <= r.participating_owners
        && r.participating_area <= e.area
        && r.participating_owners <= e.owners;
    if !(nonneg && bounded) {
        return false;
    }
    let j = judge(matter, e, r);
    j.quorum == r.quorum && j.passed == r.passed
}

/// art. 278 for given totals (what [`decide`] computes from ballots).
pub fn judge(matter: Matter, e: Electorate, r: &Outcome) -> Outcome {
    // `decide` over a synthetic set of ballots with these totals would be wasteful; the same
    // inequalities, written once more over the numbers, are checked against it in the tests.
    let quorum = e.area > 0
        && e.owners > 0
        && 3 * i128::from(r.participating_area) >= 2 * i128::from(e.area)
        && 3 * i128::from(r.participating_owners) >= 2 * i128::from(e.owners);
    let approves = |yes: i64, of: i64| {
        let (yes, of) = (i128::from(yes), i128::from(of));
        if matter.special() {
            4 * yes >= 3 * of
        } else {
            2 * yes > of
        }
    };
    Outcome {
        quorum,
        passed: quorum
            && approves(r.yes_area, r.participating_area)
            && approves(r.yes_owners, r.participating_owners),
        ..*r
    }
}

/// A ratio in percent with one decimal, for display (`None` when the whole is zero).
pub fn percent(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 1000.0 / whole as f64).round() / 10.0)
}
