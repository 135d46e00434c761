//! From summaries to facts: [`Builder`] takes each summary a device holds, once, and
//! [`Builder::finish`] reduces them to the dated facts of one scope ([`super::Index`]).

use std::collections::{BTreeMap, HashMap, HashSet};

use super::Scope;
use super::eval::{Fact, Index, OpenReq, Plan};
use crate::domain::Summary;
use crate::domain::community::DeadlineConfig;
use crate::domain::community::calendar::parse_date;
use crate::domain::event::Event;
use crate::domain::fund::ledger::{EntryType, Ledger};
use crate::domain::grant_call::{Call, Outcome};
use crate::domain::grid::{GridInfo, Round};
use crate::domain::group::Group;
use crate::domain::requests::{Colour, EventKind, Request, Status, deadline};
use crate::domain::talks::Side;
use crate::domain::talks::{Attendance, Payer, Talk};
use crate::domain::volunteer::Volunteer;
use crate::domain::volunteer::hours::hours;
use crate::domain::works::Category;
use crate::ids::DocumentId;
use crate::policy::Party;
use crate::time::{DAY, HOUR, Millis, civil_from_days, shanghai_day, shanghai_day_start};

use super::Kind;

/// What the indicators need of a request (taken as it arrives; judged in `finish`, once the
/// people and the community's deadlines are known).
struct Req {
    doc: DocumentId,
    grid: String,
    household: String,
    subject: String,
    filed_by: String,
    from_patrol: bool,
    category: String,
    filed_at: Millis,
    clock_start: Millis,
    colour: Colour,
    answered: Option<Millis>,
    first_answer: Option<Millis>,
    first_resolved: Option<Millis>,
    resolved_at: Option<Millis>,
    reopened_after_first: bool,
    rating: Option<(Millis, u8)>,
    /// Persons who added to it (details, reopenings, ratings), with when.
    acts: Vec<(String, Millis)>,
}

impl Req {
    fn of(doc: DocumentId, r: &Request) -> Self {
        let first_resolved = r.events.iter().find_map(|e| match e.kind {
            EventKind::Status {
                to: Status::Resolved,
            } => Some(e.at),
            _ => None,
        });
        let reopened_after_first = first_resolved.is_some_and(|fr| {
            r.events
                .iter()
                .any(|e| matches!(e.kind, EventKind::Reopen { .. }) && e.at >= fr)
        });
        let rating = r.events.iter().rev().find_map(|e| match e.kind {
            EventKind::Rate { stars, .. } => Some((e.at, stars)),
            _ => None,
        });
        let acts = r
            .events
            .iter()
            .filter(|e| {
                matches!(
                    e.kind,
                    EventKind::Detail { .. } | EventKind::Reopen { .. } | EventKind::Rate { .. }
                )
            })
            .map(|e| (e.by.clone(), e.at))
            .collect();
        Req {
            doc,
            grid: r.grid.clone(),
            household: r.household.clone(),
            subject: r.subject.clone(),
            filed_by: r.filed_by.clone(),
            from_patrol: !r.source.is_empty(),
            category: r.category.clone(),
            filed_at: r.filed_at,
            clock_start: r.clock_start(),
            colour: r.colour_now(),
            answered: r.answer_since_clock(),
            first_answer: r.first_answer_at(),
            first_resolved,
            resolved_at: r.resolved_at(),
            reopened_after_first,
            rating,
            acts,
        }
    }
}

struct PersonInfo {
    doc: DocumentId,
    household: String,
    grid: String,
    birth_year: Option<i64>,
    adviser: bool,
    /// Volunteers the person consented to: (volunteer, granted at, withdrawn at).
    consented: Vec<(String, Millis, Option<Millis>)>,
}

/// A proposal: (doc, proposer, filed at, supports).
type ProposalFacts = (DocumentId, String, Millis, Vec<(String, Millis)>);
/// A sign-up to a session of the governance school: (person, signed up at, attended).
type Line = (String, Millis, bool);
/// A grid's log: (doc, grid, entries).
type Log<T> = (DocumentId, String, Vec<T>);

/// Collects summaries for one scope; [`Builder::finish`] makes the [`Index`].
pub struct Builder {
    scope: Scope,
    now: Millis,
    cfg: DeadlineConfig,
    people: HashMap<String, PersonInfo>,
    /// The people's ids in the order they came (each once).
    person_order: Vec<String>,
    requests: Vec<Req>,
    talks: Vec<(DocumentId, Talk)>,
    events: Vec<(DocumentId, Event)>,
    volunteers: Vec<(DocumentId, Volunteer)>,
    groups: Vec<(DocumentId, Group)>,
    proposals: Vec<ProposalFacts>,
    calls: Vec<(DocumentId, Call)>,
    fund: Vec<(DocumentId, Ledger)>,
    grids: Vec<GridInfo>,
    patrols: Vec<Log<(Round, Millis)>>,
    /// Inspections: (at, mixed, routine).
    sorting: Vec<Log<(Millis, bool, bool)>>,
    works: Vec<(DocumentId, String, Category, Option<Millis>)>,
    /// Ballots: (doc, household, at)
    ballots: Vec<(DocumentId, String, Millis)>,
    /// Governance-school sessions: (doc, starts at, sign-ups).
    trainings: Vec<(DocumentId, Millis, Vec<Line>)>,
    holds: HashSet<&'static str>,
}

impl Builder {
    /// A builder for `scope`, judging at `now` (the relay-corrected clock).
    pub fn new(scope: Scope, now: Millis) -> Self {
        Builder {
            scope,
            now,
            cfg: DeadlineConfig::default(),
            people: HashMap::new(),
            person_order: Vec::new(),
            requests: Vec::new(),
            talks: Vec::new(),
            events: Vec::new(),
            volunteers: Vec::new(),
            groups: Vec::new(),
            proposals: Vec::new(),
            calls: Vec::new(),
            fund: Vec::new(),
            grids: Vec::new(),
            patrols: Vec::new(),
            sorting: Vec::new(),
            works: Vec::new(),
            ballots: Vec::new(),
            trainings: Vec::new(),
            holds: HashSet::new(),
        }
    }

    /// Takes one summary (any kind; those no indicator reads are skipped).
    pub fn add(&mut self, doc: &DocumentId, s: &Summary) {
        let doc = *doc;
        match s {
            Summary::Community(c) => self.cfg = c.community.deadlines.clone(),
            Summary::Request(r) => {
                self.holds.insert("request");
                self.requests.push(Req::of(doc, &r.request));
            }
            Summary::Person(p) => {
                self.holds.insert("person");
                let person = &p.person;
                if !self.people.contains_key(&person.id) {
                    self.person_order.push(person.id.clone());
                }
                self.people.insert(
                    person.id.clone(),
                    PersonInfo {
                        doc,
                        household: person.household.clone(),
                        grid: person.grid.clone(),
                        birth_year: person.birth_year,
                        adviser: p.seat.as_ref().is_some_and(|s| s.party == Party::Adviser),
                        consented: p
                            .consents
                            .iter()
                            .map(|c| (c.volunteer.clone(), c.granted_at, c.withdrawn_at))
                            .collect(),
                    },
                );
            }
            Summary::Talk(t) => {
                self.holds.insert("talk");
                self.talks.push((doc, t.talk.clone()));
            }
            Summary::Event(e) => {
                self.holds.insert("event");
                self.events.push((doc, e.clone()));
            }
            Summary::Volunteer(v) => {
                self.holds.insert("volunteer");
                self.volunteers.push((doc, v.clone()));
            }
            Summary::Group(g) => {
                self.holds.insert("group");
                self.groups.push((doc, g.group.clone()));
            }
            Summary::Proposal(p) => {
                self.holds.insert("proposal");
                let p = &p.proposal;
                self.proposals
                    .push((doc, p.proposer.clone(), p.at, p.supports.clone()));
            }
            Summary::GrantCall(c) => {
                self.holds.insert("grant_call");
                self.calls.push((doc, c.call.clone()));
            }
            Summary::Fund(f) => {
                self.holds.insert("fund");
                self.fund.push((doc, f.ledger.clone()));
            }
            Summary::Grid(g) => {
                self.holds.insert("grid");
                self.grids.push(g.clone());
            }
            Summary::Patrols(log) => {
                self.holds.insert("patrols");
                self.patrols.push((
                    doc,
                    log.grid.clone(),
                    log.rounds.iter().map(|r| (r.round, r.at)).collect(),
                ));
            }
            Summary::Sorting(log) => {
                self.holds.insert("sorting");
                self.sorting.push((
                    doc,
                    log.grid.clone(),
                    log.inspections
                        .iter()
                        .map(|i| {
                            (
                                i.at,
                                i.result == crate::domain::sorting::SortResult::Mixed,
                                i.follows.is_empty(),
                            )
                        })
                        .collect(),
                ));
            }
            Summary::Works(w) => {
                self.holds.insert("works");
                self.works
                    .push((doc, w.grid.clone(), w.category, w.done_at()));
            }
            Summary::Training(t) => {
                self.trainings.push((
                    doc,
                    t.starts_at,
                    t.signups
                        .iter()
                        .map(|s| (s.person.clone(), s.at, s.attended == Some(true)))
                        .collect(),
                ));
            }
            Summary::VoteSheet(s) => {
                for b in &s.sheet.ballots {
                    self.ballots.push((doc, s.sheet.household.clone(), b.at));
                }
            }
            _ => {}
        }
    }

    /// The facts of the scope, sorted by time, in one go.
    pub fn finish(self) -> Index {
        let mut f = self.finishing();
        while !f.step(usize::MAX) {}
        f.index()
    }

    /// The same work a slice at a time: [`Finishing::step`] until it says done, then
    /// [`Finishing::index`]. A phone builds its index between frames this way.
    pub fn finishing(self) -> Finishing {
        let x = Index::empty(self.scope.clone(), self.now);
        Finishing {
            b: self,
            x,
            stage: Stage::Households,
            at: 0,
            households: BTreeMap::new(),
            household_ids: HashMap::new(),
            volunteers: HashSet::new(),
            on_agenda: HashSet::new(),
            part: Vec::new(),
            refiled: HashMap::new(),
            person_ids: HashMap::new(),
            advisers: HashMap::new(),
            attended: HashMap::new(),
            first_day: HashMap::new(),
            elders: Vec::new(),
            sorts: Vec::new(),
        }
    }
}

/// The most facts sorted in one unit of work.
const SORT_CHUNK: usize = 8_192;

/// The stages of [`Finishing`], in order. Most go over one list of the builder, an item
/// per unit of work; the rest are one unit each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Households,
    VolunteerSet,
    Agenda,
    Refiled,
    PartRequests,
    PartEvents,
    PartProposals,
    PartFund,
    PartTalks,
    PartBallots,
    PartGroups,
    PartTrainings,
    PartVolunteers,
    First,
    Requests,
    Elders,
    Events,
    Attended,
    Hours,
    Talks,
    Groups,
    Proposals,
    Calls,
    Fund,
    Patrols,
    Plans,
    Sorting,
    Works,
    Sort,
    Release,
    Done,
}

impl Stage {
    const ORDER: [Stage; 31] = [
        Stage::Households,
        Stage::VolunteerSet,
        Stage::Agenda,
        Stage::Refiled,
        Stage::PartRequests,
        Stage::PartEvents,
        Stage::PartProposals,
        Stage::PartFund,
        Stage::PartTalks,
        Stage::PartBallots,
        Stage::PartGroups,
        Stage::PartTrainings,
        Stage::PartVolunteers,
        Stage::First,
        Stage::Requests,
        Stage::Elders,
        Stage::Events,
        Stage::Attended,
        Stage::Hours,
        Stage::Talks,
        Stage::Groups,
        Stage::Proposals,
        Stage::Calls,
        Stage::Fund,
        Stage::Patrols,
        Stage::Plans,
        Stage::Sorting,
        Stage::Works,
        Stage::Sort,
        Stage::Release,
        Stage::Done,
    ];

    fn next(self) -> Stage {
        let i = Stage::ORDER.iter().position(|s| *s == self).unwrap_or(0);
        Stage::ORDER.get(i + 1).copied().unwrap_or(Stage::Done)
    }
}

/// The facts of the scope from a [`Builder`]'s summaries, made a unit of work at a time
/// (about one document each), so the work can be spread over many short slices. The result
/// is the same as [`Builder::finish`]'s.
pub struct Finishing {
    b: Builder,
    x: Index,
    stage: Stage,
    /// The next item of the stage's list.
    at: usize,
    /// Household → its grid, while the people are gone over.
    households: BTreeMap<String, String>,
    /// Household → (its number, in this scope).
    household_ids: HashMap<String, (u32, bool)>,
    volunteers: HashSet<String>,
    on_agenda: HashSet<DocumentId>,
    /// Participation facts (11, 12, 15 and the activity index) until they move to the index.
    part: Vec<Fact>,
    /// Household → category → when a request was filed.
    refiled: HashMap<String, HashMap<String, Vec<Millis>>>,
    /// Residents who filed for themselves, numbered (fact 9).
    person_ids: HashMap<String, u32>,
    /// Advisers who took part, numbered (fact 20).
    advisers: HashMap<String, u32>,
    /// Each person's events (indexes into the builder's events) that checked them in.
    attended: HashMap<String, Vec<usize>>,
    /// Each grid's first day with a patrol round.
    first_day: HashMap<String, i64>,
    /// The sort's units: a list of facts (see [`Index::sort`]) and a range of it, or all of it.
    sorts: Vec<(usize, Option<(usize, usize)>)>,
    /// Residents of the scope with a birth year, by id (so their records are numbered in
    /// the same order on every run).
    elders: Vec<String>,
}

impl Finishing {
    /// The stage at work (for measurements).
    pub fn stage(&self) -> Stage {
        self.stage
    }

    /// Whether the index is ready ([`Finishing::index`]).
    pub fn done(&self) -> bool {
        self.stage == Stage::Done
    }

    /// The index (complete once [`Finishing::step`] said done).
    pub fn index(self) -> Index {
        self.x
    }

    /// How many items the current stage goes over.
    fn len(&self) -> usize {
        let b = &self.b;
        match self.stage {
            Stage::VolunteerSet | Stage::PartVolunteers | Stage::Hours => b.volunteers.len(),
            Stage::Agenda | Stage::PartTalks | Stage::Talks => b.talks.len(),
            Stage::Refiled | Stage::PartRequests | Stage::Requests => b.requests.len(),
            Stage::PartEvents | Stage::Events | Stage::Attended => b.events.len(),
            Stage::PartProposals | Stage::Proposals => b.proposals.len(),
            Stage::PartFund | Stage::Fund => b.fund.len(),
            Stage::PartBallots => b.ballots.len(),
            Stage::PartGroups | Stage::Groups => b.groups.len(),
            Stage::PartTrainings => b.trainings.len(),
            Stage::Calls => b.calls.len(),
            Stage::Patrols => b.patrols.len(),
            Stage::Sorting => b.sorting.len(),
            Stage::Works => b.works.len(),
            Stage::Sort => self.sorts.len(),
            Stage::Release => {
                // Counts down as the items go: `at` makes up for it.
                self.at
                    + b.requests.len()
                    + b.events.len()
                    + b.talks.len()
                    + b.volunteers.len()
                    + b.groups.len()
                    + b.calls.len()
                    + b.fund.len()
                    + b.proposals.len()
            }
            Stage::Households => b.person_order.len(),
            Stage::Elders => self.elders.len(),
            Stage::First | Stage::Plans => 1,
            Stage::Done => 0,
        }
    }

    /// Does up to `budget` units of work; true once the index is complete.
    pub fn step(&mut self, budget: usize) -> bool {
        let mut left = budget;
        while self.stage != Stage::Done {
            if self.at >= self.len() {
                self.end_of_stage();
                self.stage = self.stage.next();
                self.at = 0;
                continue;
            }
            if left == 0 {
                return false;
            }
            self.item(self.at);
            self.at += 1;
            left -= 1;
        }
        true
    }

    fn adviser(&self, person: &str) -> bool {
        self.b.people.get(person).is_some_and(|p| p.adviser)
    }

    fn adviser_fact(&mut self, person: &str, at: Millis, doc: DocumentId) {
        let n = self.advisers.len() as u32;
        let who = match self.advisers.get(person) {
            Some(w) => *w,
            None => {
                self.advisers.insert(person.to_string(), n);
                n
            }
        };
        let d = self.x.doc(doc);
        self.x.facts[20].push(Fact::new(at, d).who(who));
    }

    /// The participation facts of item `i` of the current stage.
    fn participation(&mut self, i: usize) {
        let Finishing {
            b,
            x,
            part,
            household_ids,
            stage,
            ..
        } = self;
        let people = &b.people;
        let household_of = |person: &str| people.get(person).map_or("", |p| p.household.as_str());
        let mut push = |household: &str, kind: Kind, at: Millis, doc: DocumentId| {
            let Some(&(who, true)) = household_ids.get(household) else {
                return;
            };
            let d = x.doc(doc);
            part.push(Fact::new(at, d).who(who).part(kind as u8));
        };
        match *stage {
            Stage::PartRequests => {
                let r = &b.requests[i];
                push(&r.household, Kind::Request, r.filed_at, r.doc);
                for (by, at) in &r.acts {
                    push(household_of(by), Kind::Request, *at, r.doc);
                }
            }
            Stage::PartEvents => {
                let (doc, e) = &b.events[i];
                for s in &e.signups {
                    let kind = if s.role.is_empty() {
                        Kind::Event
                    } else {
                        Kind::Volunteering
                    };
                    push(&s.household, kind, s.at, *doc);
                }
                for a in &e.attendance {
                    push(household_of(&a.person), Kind::Event, a.in_at, *doc);
                }
            }
            Stage::PartProposals => {
                let (doc, proposer, at, supports) = &b.proposals[i];
                push(household_of(proposer), Kind::Proposal, *at, *doc);
                for (who, at) in supports {
                    push(household_of(who), Kind::Proposal, *at, *doc);
                }
            }
            Stage::PartFund => {
                let (doc, ledger) = &b.fund[i];
                for e in &ledger.entries {
                    if e.kind == Some(EntryType::Cofunding) {
                        push(household_of(&e.by), Kind::Proposal, e.at, *doc);
                    }
                }
            }
            Stage::PartTalks => {
                let (doc, t) = &b.talks[i];
                for item in &t.items {
                    for p in &item.positions {
                        push(household_of(&p.by), Kind::Meeting, p.at, *doc);
                    }
                    for (who, at) in &item.plus_ones {
                        push(household_of(who), Kind::Meeting, *at, *doc);
                    }
                }
            }
            Stage::PartBallots => {
                let (doc, household, at) = &b.ballots[i];
                push(household, Kind::Meeting, *at, *doc);
            }
            Stage::PartGroups => {
                let (doc, g) = &b.groups[i];
                for m in &g.members {
                    push(household_of(&m.person), Kind::Meeting, m.joined_at, *doc);
                }
                for a in &g.activities {
                    push(household_of(&a.by), Kind::Meeting, a.at, *doc);
                }
            }
            Stage::PartTrainings => {
                // The governance school: signing up, and attending (at the session's start).
                let (doc, starts_at, signups) = &b.trainings[i];
                for (person, at, attended) in signups {
                    let household = household_of(person);
                    push(household, Kind::Training, *at, *doc);
                    if *attended {
                        push(household, Kind::Training, *starts_at, *doc);
                    }
                }
            }
            Stage::PartVolunteers => {
                let (doc, v) = &b.volunteers[i];
                for e in &v.entries {
                    push(household_of(&v.subject), Kind::Volunteering, e.at, *doc);
                }
            }
            _ => {}
        }
    }

    /// One unit of the current stage: item `i` of its list.
    fn item(&mut self, i: usize) {
        let now = self.b.now;
        match self.stage {
            Stage::Households => {
                // Households on record (the participation rate's denominator), each with its
                // grid; numbered in order once all are known.
                let id = &self.b.person_order[i];
                let Some(p) = self.b.people.get(id) else {
                    return;
                };
                if !p.household.is_empty() && !self.households.contains_key(&p.household) {
                    self.households.insert(p.household.clone(), p.grid.clone());
                }
                if p.birth_year.is_some() && self.b.scope.holds(&p.grid) {
                    self.elders.push(id.clone());
                }
            }
            Stage::VolunteerSet => {
                let subject = self.b.volunteers[i].1.subject.clone();
                self.volunteers.insert(subject);
            }
            Stage::Agenda => {
                let t = &self.b.talks[i].1;
                self.on_agenda.extend(
                    t.items
                        .iter()
                        .filter_map(|i| i.request.as_deref())
                        .filter_map(|r| DocumentId::parse(r).ok()),
                );
            }
            Stage::Refiled => {
                let r = &self.b.requests[i];
                let by_category = match self.refiled.get_mut(r.household.as_str()) {
                    Some(m) => m,
                    None => self.refiled.entry(r.household.clone()).or_default(),
                };
                match by_category.get_mut(r.category.as_str()) {
                    Some(v) => v.push(r.filed_at),
                    None => {
                        by_category.insert(r.category.clone(), vec![r.filed_at]);
                    }
                }
            }
            Stage::PartRequests
            | Stage::PartEvents
            | Stage::PartProposals
            | Stage::PartFund
            | Stage::PartTalks
            | Stage::PartBallots
            | Stage::PartGroups
            | Stage::PartTrainings
            | Stage::PartVolunteers => self.participation(i),
            Stage::First => {
                let mut part = std::mem::take(&mut self.part);
                part.retain(|f| f.at <= now);
                // First-ever action per household (15).
                let mut first: HashMap<u32, Fact> = HashMap::new();
                for f in &part {
                    first
                        .entry(f.who)
                        .and_modify(|g| {
                            if f.at < g.at {
                                *g = *f;
                            }
                        })
                        .or_insert(*f);
                }
                self.x.first = first.into_values().collect();
                self.x.participation = part;
            }
            Stage::Requests => self.request(i),
            Stage::Elders => {
                let id = &self.elders[i];
                if let Some((p, by)) = self.b.people.get(id).and_then(|p| Some((p, p.birth_year?)))
                {
                    let who = self
                        .person_ids
                        .get(id.as_str())
                        .copied()
                        .unwrap_or(u32::MAX);
                    let d = self.x.doc(p.doc);
                    self.x.elders.push((who, by, d));
                    if let Some(i) = usize::try_from(who).ok().filter(|_| who != u32::MAX) {
                        if self.x.births.len() <= i {
                            self.x.births.resize(i + 1, i64::MAX);
                        }
                        self.x.births[i] = by;
                    }
                }
            }
            Stage::Events => {
                let (doc, e) = &self.b.events[i];
                let d = self.x.doc(*doc);
                if e.starts_at <= now {
                    self.x.facts[13].push(Fact::new(e.starts_at, d));
                }
                let grid_scope = matches!(self.b.scope, Scope::Grid(_));
                let mut seen: HashSet<&str> = HashSet::new();
                for a in &e.attendance {
                    if !seen.insert(&a.person) {
                        continue;
                    }
                    if grid_scope
                        && !self
                            .b
                            .people
                            .get(a.person.as_str())
                            .is_some_and(|p| self.b.scope.holds(&p.grid))
                    {
                        continue;
                    }
                    self.x.facts[14].push(Fact::new(a.in_at, d));
                }
            }
            Stage::Attended => {
                // Each volunteer's events: those that checked them in (not every event per
                // volunteer).
                let e = &self.b.events[i].1;
                let mut seen: HashSet<&str> = HashSet::new();
                for a in &e.attendance {
                    if seen.insert(&a.person) {
                        self.attended.entry(a.person.clone()).or_default().push(i);
                    }
                }
            }
            Stage::Hours => {
                let (doc, v) = &self.b.volunteers[i];
                let d = self.x.doc(*doc);
                let events = &self.b.events;
                let h = hours(
                    &v.subject,
                    Some(v),
                    self.attended
                        .get(v.subject.as_str())
                        .into_iter()
                        .flatten()
                        .map(|i| &events[*i].1),
                    Millis::MIN,
                    Millis::MAX,
                    &|_| None,
                );
                for a in h.confirmed() {
                    self.x.facts[25].push(Fact::new(a.at, d).v(a.minutes));
                }
            }
            Stage::Talks => self.talk(i),
            Stage::Groups => {
                let (doc, g) = &self.b.groups[i];
                let d = self.x.doc(*doc);
                for a in &g.activities {
                    self.x.facts[19].push(Fact::new(a.at, d).who(d));
                }
            }
            Stage::Proposals => {
                let (doc, _, at, supports) = &self.b.proposals[i];
                let (doc, at) = (*doc, *at);
                let d = self.x.doc(doc);
                self.x.facts[21].push(Fact::new(at, d));
                let advisers: Vec<(String, Millis)> = supports
                    .iter()
                    .filter(|(who, _)| self.adviser(who))
                    .cloned()
                    .collect();
                for (who, at) in advisers {
                    self.adviser_fact(&who, at, doc);
                }
            }
            Stage::Calls => {
                let (doc, c) = &self.b.calls[i];
                let doc = *doc;
                let funded: Vec<(DocumentId, Millis)> = c
                    .decisions
                    .iter()
                    .filter(|(_, dec)| dec.outcome == Outcome::Funded)
                    .map(|(proposal, dec)| (DocumentId::parse(proposal).unwrap_or(doc), dec.at))
                    .collect();
                let reviews: Vec<(String, Millis)> = c
                    .reviews
                    .iter()
                    .flat_map(|(_, reviews)| reviews)
                    .filter(|r| self.adviser(&r.reviewer))
                    .map(|r| (r.reviewer.clone(), r.at))
                    .collect();
                for (target, at) in funded {
                    let d = self.x.doc(target);
                    self.x.facts[22].push(Fact::new(at, d));
                }
                for (who, at) in reviews {
                    self.adviser_fact(&who, at, doc);
                }
            }
            Stage::Fund => {
                let (doc, ledger) = &self.b.fund[i];
                let d = self.x.doc(*doc);
                for e in &ledger.entries {
                    match e.kind {
                        Some(EntryType::Spending) => {
                            self.x.facts[23].push(Fact::new(e.at, d).v(e.amount))
                        }
                        Some(EntryType::Refund) => {
                            self.x.facts[23].push(Fact::new(e.at, d).v(-e.amount))
                        }
                        _ => {}
                    }
                    if matches!(
                        e.kind,
                        Some(EntryType::Income | EntryType::Contribution | EntryType::Cofunding)
                    ) {
                        self.x.received.push(Fact::new(e.at, d).v(e.amount));
                    }
                    if e.kind == Some(EntryType::Cofunding) {
                        self.x.facts[24].push(Fact::new(e.at, d).v(e.amount));
                    }
                }
            }
            Stage::Patrols => {
                let (doc, grid, rounds) = &self.b.patrols[i];
                if !self.b.scope.holds(grid) {
                    return;
                }
                let d = self.x.doc(*doc);
                for (round, at) in rounds {
                    let day = shanghai_day(*at);
                    self.x
                        .walked
                        .entry(grid.clone())
                        .or_default()
                        .insert((*round as u8, day));
                    let f = self.first_day.entry(grid.clone()).or_insert(day);
                    *f = (*f).min(day);
                    self.x.facts[28].push(Fact::new(*at, d).part(*round as u8));
                }
            }
            Stage::Plans => {
                for g in &self.b.grids {
                    if let Some(first) = self.first_day.get(&g.grid) {
                        self.x.plans.push(Plan {
                            grid: g.grid.clone(),
                            first: *first,
                            plan: Round::ALL
                                .iter()
                                .map(|r| (*r as u8, g.planned(*r).to_vec()))
                                .collect(),
                        });
                    }
                }
                self.x.have[28] = !self.x.plans.is_empty();
            }
            Stage::Sorting => {
                let (doc, grid, inspections) = &self.b.sorting[i];
                if !self.b.scope.holds(grid) {
                    return;
                }
                let d = self.x.doc(*doc);
                for (at, mixed, routine) in inspections {
                    if *routine {
                        self.x.facts[29].push(Fact::new(*at, d).hit(*mixed));
                    }
                }
            }
            Stage::Works => {
                let (doc, grid, category, done) = &self.b.works[i];
                if !self.b.scope.holds(grid) {
                    return;
                }
                if let Some(at) = done {
                    let d = self.x.doc(*doc);
                    self.x.facts[30].push(Fact::new(*at, d).part(*category as u8));
                }
            }
            Stage::Sort => {
                let (list, range) = self.sorts[i];
                self.x.sort(list, range);
            }
            Stage::Release => {
                // What the builder took from the summaries goes a document at a time, so
                // freeing it is spread over the slices too. Keeps `len` counting down.
                let b = &mut self.b;
                let _ = b.requests.pop().is_some()
                    || b.events.pop().is_some()
                    || b.talks.pop().is_some()
                    || b.volunteers.pop().is_some()
                    || b.groups.pop().is_some()
                    || b.calls.pop().is_some()
                    || b.fund.pop().is_some()
                    || b.proposals.pop().is_some();
            }
            Stage::Done => {}
        }
    }

    /// What a stage decides once it has gone over its list.
    fn end_of_stage(&mut self) {
        let holds = |k: &str| self.b.holds.contains(k);
        let have = &mut self.x.have;
        match self.stage {
            Stage::Households => {
                let scope = &self.b.scope;
                let households = std::mem::take(&mut self.households);
                self.x.households = households.values().filter(|g| scope.holds(g)).count() as u64;
                have[11] = !households.is_empty();
                have[12] = have[11];
                have[15] = have[11];
                self.household_ids = households
                    .into_iter()
                    .enumerate()
                    .map(|(i, (h, g))| {
                        let within = scope.holds(&g);
                        (h, (i as u32, within))
                    })
                    .collect();
                self.elders.sort_unstable();
            }
            Stage::Requests => {
                let held = holds("request");
                for i in [1, 2, 3, 4, 5, 6, 10, 26, 27] {
                    have[i] = held;
                }
                let ages = held && self.b.people.values().any(|p| p.birth_year.is_some());
                for i in [7, 8, 9] {
                    have[i] = ages;
                }
            }
            Stage::Events => {
                have[13] = holds("event");
                have[14] = have[13];
            }
            Stage::Hours => have[25] = holds("volunteer"),
            Stage::Talks => {
                have[16] = holds("talk");
                have[17] = have[16];
                have[18] = have[16];
            }
            Stage::Groups => have[19] = holds("group"),
            Stage::Calls => {
                have[20] = holds("talk") || holds("grant_call");
                have[21] = holds("proposal") || holds("grant_call");
                have[22] = have[21];
            }
            Stage::Fund => {
                have[23] = holds("fund");
                have[24] = have[23] || have[16];
            }
            Stage::Sorting => have[29] = holds("sorting"),
            Stage::Works => {
                have[30] = holds("works");
                have[5] = holds("request");
                // What the sort does, in units of at most SORT_CHUNK facts: each chunk of a
                // long list on its own, then the whole list, which is then quick (its runs
                // are sorted already and only merge).
                for (list, len) in self.x.lists() {
                    if len > SORT_CHUNK {
                        for from in (0..len).step_by(SORT_CHUNK) {
                            self.sorts
                                .push((list, Some((from, (from + SORT_CHUNK).min(len)))));
                        }
                    }
                    self.sorts.push((list, None));
                }
            }
            _ => {}
        }
    }

    /// Request `i`'s facts (1–10, 26, 27).
    fn request(&mut self, i: usize) {
        let now = self.b.now;
        let r = &self.b.requests[i];
        if !self.b.scope.holds(&r.grid) {
            return;
        }
        let x = &mut self.x;
        let d = x.doc(r.doc);
        let due = deadline::due_at(r.clock_start, r.colour, &self.b.cfg);
        let colour = r.colour as u8;
        x.facts[1].push(Fact::new(r.filed_at, d));
        // 2: decided once answered, or once the deadline has passed.
        let met = r.answered.is_some_and(|a| a <= due)
            || (r.answered.is_none() && r.resolved_at.is_some_and(|z| z <= due));
        if met || due <= now {
            x.facts[2].push(Fact::new(due, d).hit(met));
        }
        if let Some(a) = r.first_answer {
            x.facts[3].push(Fact::new(a, d).part(colour).v((a - r.filed_at) / 60_000));
        }
        x.facts[4].push(Fact::new(r.filed_at, d).hit(r.resolved_at.is_some()));
        x.open.push(OpenReq {
            doc: d,
            filed_at: r.filed_at,
            due,
            answered: r.answered,
            resolved: r.resolved_at,
        });
        if let Some((at, stars)) = r.rating {
            x.facts[6].push(Fact::new(at, d).v(i64::from(stars)));
        }
        let subject = self.b.people.get(&r.subject);
        if let Some(by) = subject.and_then(|p| p.birth_year) {
            let year = i64::from(civil_from_days(shanghai_day(r.filed_at)).0);
            let elder = year - by >= 60;
            x.facts[7].push(Fact::new(r.filed_at, d).hit(elder));
            if elder {
                let proxy = r.filed_by != r.subject
                    && !r.from_patrol
                    && (subject.is_some_and(|p| {
                        p.consented.iter().any(|(v, from, until)| {
                            *v == r.filed_by
                                && *from <= r.filed_at
                                && until.is_none_or(|u| u > r.filed_at)
                        })
                    }) || self.volunteers.contains(r.filed_by.as_str()));
                x.facts[8].push(Fact::new(r.filed_at, d).hit(proxy));
            }
        }
        if r.filed_by == r.subject {
            let n = self.person_ids.len() as u32;
            let who = match self.person_ids.get(r.subject.as_str()) {
                Some(w) => *w,
                None => {
                    self.person_ids.insert(r.subject.clone(), n);
                    n
                }
            };
            x.facts[9].push(Fact::new(r.filed_at, d).who(who));
        }
        if let Some(res) = r.first_resolved {
            let again = self
                .refiled
                .get(r.household.as_str())
                .and_then(|m| m.get(r.category.as_str()))
                .is_some_and(|v| v.iter().any(|f| *f > res && *f <= res + 30 * DAY));
            x.facts[10].push(Fact::new(res, d).hit(r.reopened_after_first || again));
        }
        if !self.on_agenda.contains(&r.doc) {
            if let Some(res) = r.resolved_at {
                x.facts[26].push(Fact::new(res, d));
            }
            let in48 = r.first_answer.is_some_and(|a| a - r.filed_at <= 48 * HOUR);
            if in48 || r.filed_at + 48 * HOUR <= now {
                x.facts[27].push(Fact::new(r.filed_at, d).hit(in48));
            }
        }
    }

    /// Talk `i`'s facts (16, 17, 18, 20, 24).
    fn talk(&mut self, i: usize) {
        let now = self.b.now;
        let today = shanghai_day(now);
        let (doc, t) = &self.b.talks[i];
        let doc = *doc;
        let d = self.x.doc(doc);
        let Some(day) = parse_date(&t.date) else {
            return;
        };
        let at = shanghai_day_start(day);
        if day <= today && !t.attendance.is_empty() {
            self.x.facts[16].push(Fact::new(at, d));
            for (side, a) in &t.attendance {
                let i = Side::ALL.iter().position(|s| s == side).unwrap_or(0) as u8;
                self.x.facts[17].push(Fact::new(at, d).part(i).hit(*a != Attendance::Absent));
            }
        }
        let mut advisers: Vec<(String, Millis)> = Vec::new();
        for item in &t.items {
            for p in &item.positions {
                if self.adviser(&p.by) {
                    advisers.push((p.by.clone(), p.at));
                }
            }
            for (who, at) in &item.plus_ones {
                if self.adviser(who) {
                    advisers.push((who.clone(), *at));
                }
            }
            let Some(dec) = &item.decision else {
                continue;
            };
            let due = dec
                .actions
                .iter()
                .filter_map(|a| parse_date(&a.due))
                .max()
                .map_or(dec.decided_at, shanghai_day_start);
            let done = dec.actions.is_empty() || dec.actions_done();
            if due <= now {
                self.x.facts[18].push(Fact::new(due, d).hit(done));
            }
            let crowd: i64 = dec
                .split
                .iter()
                .filter(|s| s.payer == Payer::Crowdfunding)
                .map(|s| s.fen)
                .sum();
            if crowd > 0 {
                self.x.facts[24].push(Fact::new(dec.decided_at, d).v(crowd));
            }
        }
        for (who, at) in advisers {
            self.adviser_fact(&who, at, doc);
        }
    }
}
