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

    /// The facts of the scope, sorted by time.
    pub fn finish(self) -> Index {
        let mut x = Index::empty(self.scope.clone(), self.now);
        let now = self.now;
        let scope = &self.scope;
        let in_scope = |grid: &str| scope.holds(grid);
        let grid_of = |person: &str| self.people.get(person).map(|p| p.grid.as_str());
        // Households on record (the participation rate's denominator), each with its grid.
        let mut households: BTreeMap<&str, &str> = BTreeMap::new();
        for p in self.people.values() {
            if !p.household.is_empty() {
                households.entry(&p.household).or_insert(&p.grid);
            }
        }
        // Household → (its number, in this scope): one hash lookup per fact.
        let household_ids: HashMap<&str, (u32, bool)> = households
            .iter()
            .enumerate()
            .map(|(i, (h, g))| (*h, (i as u32, in_scope(g))))
            .collect();
        x.households = households.values().filter(|g| in_scope(g)).count() as u64;
        let volunteers: HashSet<&str> = self
            .volunteers
            .iter()
            .map(|(_, v)| v.subject.as_str())
            .collect();
        let on_agenda: HashSet<DocumentId> = self
            .talks
            .iter()
            .flat_map(|(_, t)| t.items.iter().filter_map(|i| i.request.as_deref()))
            .filter_map(|r| DocumentId::parse(r).ok())
            .collect();

        // ---- Participation (11, 12, 15 and the activity index): household, kind, when.
        let mut part: Vec<Fact> = Vec::new();
        {
            let mut push = |x: &mut Index, household: &str, kind: Kind, at: Millis, doc| {
                let Some(&(who, true)) = household_ids.get(household) else {
                    return;
                };
                let d = x.doc(doc);
                part.push(Fact::new(at, d).who(who).part(kind as u8));
            };
            let household_of = |person: &str| {
                self.people
                    .get(person)
                    .map(|p| p.household.as_str())
                    .unwrap_or("")
            };
            for r in &self.requests {
                push(&mut x, &r.household, Kind::Request, r.filed_at, r.doc);
                for (by, at) in &r.acts {
                    push(&mut x, household_of(by), Kind::Request, *at, r.doc);
                }
            }
            for (doc, e) in &self.events {
                for s in &e.signups {
                    let kind = if s.role.is_empty() {
                        Kind::Event
                    } else {
                        Kind::Volunteering
                    };
                    push(&mut x, &s.household, kind, s.at, *doc);
                }
                for a in &e.attendance {
                    push(&mut x, household_of(&a.person), Kind::Event, a.in_at, *doc);
                }
            }
            for (doc, proposer, at, supports) in &self.proposals {
                push(&mut x, household_of(proposer), Kind::Proposal, *at, *doc);
                for (who, at) in supports {
                    push(&mut x, household_of(who), Kind::Proposal, *at, *doc);
                }
            }
            for (doc, ledger) in &self.fund {
                for e in &ledger.entries {
                    if e.kind == Some(EntryType::Cofunding) {
                        push(&mut x, household_of(&e.by), Kind::Proposal, e.at, *doc);
                    }
                }
            }
            for (doc, t) in &self.talks {
                for i in &t.items {
                    for p in &i.positions {
                        push(&mut x, household_of(&p.by), Kind::Meeting, p.at, *doc);
                    }
                    for (who, at) in &i.plus_ones {
                        push(&mut x, household_of(who), Kind::Meeting, *at, *doc);
                    }
                }
            }
            for (doc, household, at) in &self.ballots {
                push(&mut x, household, Kind::Meeting, *at, *doc);
            }
            for (doc, g) in &self.groups {
                for m in &g.members {
                    push(
                        &mut x,
                        household_of(&m.person),
                        Kind::Meeting,
                        m.joined_at,
                        *doc,
                    );
                }
                for a in &g.activities {
                    push(&mut x, household_of(&a.by), Kind::Meeting, a.at, *doc);
                }
            }
            // The governance school: signing up, and attending (at the session's start).
            for (doc, starts_at, signups) in &self.trainings {
                for (person, at, attended) in signups {
                    let household = household_of(person);
                    push(&mut x, household, Kind::Training, *at, *doc);
                    if *attended {
                        push(&mut x, household, Kind::Training, *starts_at, *doc);
                    }
                }
            }
            for (doc, v) in &self.volunteers {
                for e in &v.entries {
                    push(
                        &mut x,
                        household_of(&v.subject),
                        Kind::Volunteering,
                        e.at,
                        *doc,
                    );
                }
            }
        }
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
        x.first = first.into_values().collect();
        x.participation = part;
        x.have[11] = !households.is_empty();
        x.have[12] = x.have[11];
        x.have[15] = x.have[11];

        // ---- Requests (1–10, 26, 27).
        let mut refiled: HashMap<(&str, &str), Vec<Millis>> = HashMap::new();
        for r in &self.requests {
            refiled
                .entry((&r.household, &r.category))
                .or_default()
                .push(r.filed_at);
        }
        let mut person_ids: HashMap<&str, u32> = HashMap::new();
        for r in self.requests.iter().filter(|r| in_scope(&r.grid)) {
            let d = x.doc(r.doc);
            let due = deadline::due_at(r.clock_start, r.colour, &self.cfg);
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
            let subject = self.people.get(&r.subject);
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
                        }) || volunteers.contains(r.filed_by.as_str()));
                    x.facts[8].push(Fact::new(r.filed_at, d).hit(proxy));
                }
            }
            if r.filed_by == r.subject {
                let n = person_ids.len() as u32;
                let who = *person_ids.entry(r.subject.as_str()).or_insert(n);
                x.facts[9].push(Fact::new(r.filed_at, d).who(who));
            }
            if let Some(res) = r.first_resolved {
                let again = refiled
                    .get(&(r.household.as_str(), r.category.as_str()))
                    .is_some_and(|v| v.iter().any(|f| *f > res && *f <= res + 30 * DAY));
                x.facts[10].push(Fact::new(res, d).hit(r.reopened_after_first || again));
            }
            let grid_level = !on_agenda.contains(&r.doc);
            if grid_level {
                if let Some(res) = r.resolved_at {
                    x.facts[26].push(Fact::new(res, d));
                }
                let in48 = r.first_answer.is_some_and(|a| a - r.filed_at <= 48 * HOUR);
                if in48 || r.filed_at + 48 * HOUR <= now {
                    x.facts[27].push(Fact::new(r.filed_at, d).hit(in48));
                }
            }
        }
        for (id, p) in &self.people {
            if !in_scope(&p.grid) {
                continue;
            }
            if let Some(by) = p.birth_year {
                let who = person_ids.get(id.as_str()).copied().unwrap_or(u32::MAX);
                let d = x.doc(p.doc);
                x.elders.push((who, by, d));
            }
        }
        let held = self.holds.contains("request");
        for i in [1, 2, 3, 4, 5, 6, 10, 26, 27] {
            x.have[i] = held;
        }
        let ages = held && self.people.values().any(|p| p.birth_year.is_some());
        for i in [7, 8, 9] {
            x.have[i] = ages;
        }

        // ---- Events (13, 14), volunteer hours (25).
        for (doc, e) in &self.events {
            let d = x.doc(*doc);
            if e.starts_at <= now {
                x.facts[13].push(Fact::new(e.starts_at, d));
            }
            let mut seen: HashSet<&str> = HashSet::new();
            for a in &e.attendance {
                if !seen.insert(&a.person) {
                    continue;
                }
                if matches!(scope, Scope::Grid(_)) && !grid_of(&a.person).is_some_and(in_scope) {
                    continue;
                }
                x.facts[14].push(Fact::new(a.in_at, d));
            }
        }
        x.have[13] = self.holds.contains("event");
        x.have[14] = x.have[13];
        // Each volunteer's events: those that checked them in (not every event per volunteer).
        let mut attended: HashMap<&str, Vec<&Event>> = HashMap::new();
        for (_, e) in &self.events {
            let mut seen: HashSet<&str> = HashSet::new();
            for a in &e.attendance {
                if seen.insert(&a.person) {
                    attended.entry(&a.person).or_default().push(e);
                }
            }
        }
        for (doc, v) in &self.volunteers {
            let d = x.doc(*doc);
            let h = hours(
                &v.subject,
                Some(v),
                attended
                    .get(v.subject.as_str())
                    .into_iter()
                    .flatten()
                    .copied(),
                Millis::MIN,
                Millis::MAX,
                &|_| None,
            );
            for a in h.confirmed() {
                x.facts[25].push(Fact::new(a.at, d).v(a.minutes));
            }
        }
        x.have[25] = self.holds.contains("volunteer");

        // ---- Talks (16, 17, 18, 20, 24).
        let today = shanghai_day(now);
        let adviser = |p: &str| self.people.get(p).is_some_and(|p| p.adviser);
        let mut advisers: HashMap<String, u32> = HashMap::new();
        let mut adviser_fact = |x: &mut Index, person: &str, at: Millis, doc| {
            let n = advisers.len() as u32;
            let who = *advisers.entry(person.to_string()).or_insert(n);
            let d = x.doc(doc);
            x.facts[20].push(Fact::new(at, d).who(who));
        };
        for (doc, t) in &self.talks {
            let d = x.doc(*doc);
            let Some(day) = parse_date(&t.date) else {
                continue;
            };
            let at = shanghai_day_start(day);
            if day <= today && !t.attendance.is_empty() {
                x.facts[16].push(Fact::new(at, d));
                for (side, a) in &t.attendance {
                    let i = Side::ALL.iter().position(|s| s == side).unwrap_or(0) as u8;
                    x.facts[17].push(Fact::new(at, d).part(i).hit(*a != Attendance::Absent));
                }
            }
            for item in &t.items {
                for p in &item.positions {
                    if adviser(&p.by) {
                        adviser_fact(&mut x, &p.by, p.at, *doc);
                    }
                }
                for (who, at) in &item.plus_ones {
                    if adviser(who) {
                        adviser_fact(&mut x, who, *at, *doc);
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
                    x.facts[18].push(Fact::new(due, d).hit(done));
                }
                let crowd: i64 = dec
                    .split
                    .iter()
                    .filter(|s| s.payer == Payer::Crowdfunding)
                    .map(|s| s.fen)
                    .sum();
                if crowd > 0 {
                    x.facts[24].push(Fact::new(dec.decided_at, d).v(crowd));
                }
            }
        }
        x.have[16] = self.holds.contains("talk");
        x.have[17] = x.have[16];
        x.have[18] = x.have[16];

        // ---- Groups (19).
        for (doc, g) in &self.groups {
            let d = x.doc(*doc);
            let who = d;
            for a in &g.activities {
                x.facts[19].push(Fact::new(a.at, d).who(who));
            }
        }
        x.have[19] = self.holds.contains("group");

        // ---- Proposals, calls, the fund (20–24).
        for (doc, _, at, supports) in &self.proposals {
            let d = x.doc(*doc);
            x.facts[21].push(Fact::new(*at, d));
            for (who, at) in supports {
                if adviser(who) {
                    adviser_fact(&mut x, who, *at, *doc);
                }
            }
        }
        for (doc, c) in &self.calls {
            for (proposal, dec) in &c.decisions {
                if dec.outcome == Outcome::Funded {
                    let target = DocumentId::parse(proposal).unwrap_or(*doc);
                    let d = x.doc(target);
                    x.facts[22].push(Fact::new(dec.at, d));
                }
            }
            for (_, reviews) in &c.reviews {
                for r in reviews {
                    if adviser(&r.reviewer) {
                        adviser_fact(&mut x, &r.reviewer, r.at, *doc);
                    }
                }
            }
        }
        x.have[20] = self.holds.contains("talk") || self.holds.contains("grant_call");
        x.have[21] = self.holds.contains("proposal") || self.holds.contains("grant_call");
        x.have[22] = x.have[21];
        for (doc, ledger) in &self.fund {
            let d = x.doc(*doc);
            for e in &ledger.entries {
                match e.kind {
                    Some(EntryType::Spending) => x.facts[23].push(Fact::new(e.at, d).v(e.amount)),
                    Some(EntryType::Refund) => x.facts[23].push(Fact::new(e.at, d).v(-e.amount)),
                    _ => {}
                }
                if matches!(
                    e.kind,
                    Some(EntryType::Income | EntryType::Contribution | EntryType::Cofunding)
                ) {
                    x.received.push(Fact::new(e.at, d).v(e.amount));
                }
                if e.kind == Some(EntryType::Cofunding) {
                    x.facts[24].push(Fact::new(e.at, d).v(e.amount));
                }
            }
        }
        x.have[23] = self.holds.contains("fund");
        x.have[24] = x.have[23] || x.have[16];

        // ---- The grid's daily work (28), garbage sorting (29), works (30).
        let mut walked: HashSet<(String, u8, i64)> = HashSet::new();
        let mut first_day: HashMap<String, i64> = HashMap::new();
        for (doc, grid, rounds) in &self.patrols {
            if !in_scope(grid) {
                continue;
            }
            let d = x.doc(*doc);
            for (round, at) in rounds {
                let day = shanghai_day(*at);
                walked.insert((grid.clone(), *round as u8, day));
                let f = first_day.entry(grid.clone()).or_insert(day);
                *f = (*f).min(day);
                x.facts[28].push(Fact::new(*at, d).part(*round as u8));
            }
        }
        for g in &self.grids {
            if let Some(first) = first_day.get(&g.grid) {
                x.plans.push(Plan {
                    grid: g.grid.clone(),
                    first: *first,
                    plan: Round::ALL
                        .iter()
                        .map(|r| (*r as u8, g.planned(*r).to_vec()))
                        .collect(),
                });
            }
        }
        x.walked = walked;
        x.have[28] = !x.plans.is_empty();
        for (doc, grid, inspections) in &self.sorting {
            if !in_scope(grid) {
                continue;
            }
            let d = x.doc(*doc);
            for (at, mixed, routine) in inspections {
                if *routine {
                    x.facts[29].push(Fact::new(*at, d).hit(*mixed));
                }
            }
        }
        x.have[29] = self.holds.contains("sorting");
        for (doc, grid, category, done) in &self.works {
            if !in_scope(grid) {
                continue;
            }
            if let Some(at) = done {
                let d = x.doc(*doc);
                x.facts[30].push(Fact::new(*at, d).part(*category as u8));
            }
        }
        x.have[30] = self.holds.contains("works");
        x.have[5] = held;
        x.finish();
        x
    }
}
