//! One function per register: its header and its rows, from what the phone holds, for one
//! exporter, period and scope. Each says which personal columns it has and for whom.

use super::{Csv, Exporter, Filter, Held, date, date_time, day_start};
use crate::domain::fund::{Fen, yuan};
use crate::domain::requests::deadline::{self, Due};
use crate::domain::talks::Attendance;
use crate::domain::volunteer::hours::{Source, hours, minutes_to_hours};
use crate::time::Millis;

fn money(fen: Fen) -> String {
    yuan(fen).replace(',', "")
}

fn when(at: Option<Millis>) -> String {
    at.map(date_time).unwrap_or_default()
}

fn yes(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

/// The requests register 诉求登记表: one row per request filed in the period (and the scope's
/// grid), with its short public reference (`#3kF9qa`), category, colour now, grid, status,
/// filed / first answered / resolved times, whether the first answer came on time, the
/// rating.
///
/// Personal columns (`subject`, `subject_name`, `flat`, `phone`, `filed_by_name`) are in
/// every exporter's file, filled only where the exporter may see the person: staff for
/// every request, a grid worker (or grid team member) for the requests of their grids, a
/// resident or volunteer for their own household's; blank otherwise.
pub fn requests(held: &Held<'_>, who: &Exporter, filter: &Filter) -> Csv {
    let mut csv = Csv::new(&[
        "ref",
        "category",
        "colour",
        "grid",
        "status",
        "filed_at",
        "answered_at",
        "resolved_at",
        "on_time",
        "rating",
        "subject",
        "subject_name",
        "flat",
        "phone",
        "filed_by_name",
    ]);
    let mut rows: Vec<_> = held
        .requests
        .iter()
        .filter(|(_, r)| filter.within(r.filed_at) && filter.in_scope(&r.grid))
        .collect();
    rows.sort_by_key(|(id, r)| (r.filed_at, id.to_string()));
    for (id, r) in rows {
        let due = deadline::assess(r, held.deadlines, held.now);
        let on_time = match due.due {
            Due::AnsweredOnTime => "yes",
            Due::AnsweredLate | Due::Overdue => "no",
            Due::OnTrack | Due::DueSoon => "",
        };
        let mut row = vec![
            format!("#{}", id.short()),
            r.category.clone(),
            r.colour_now().as_str().to_string(),
            r.grid.clone(),
            r.status().as_str().to_string(),
            date_time(r.filed_at),
            when(r.first_answer_at()),
            when(r.resolved_at()),
            on_time.to_string(),
            r.rating().map(|(s, _)| s.to_string()).unwrap_or_default(),
        ];
        if who.sees(&r.grid, &r.household) {
            let person = held.person(&r.subject);
            row.extend([
                r.subject.clone(),
                person.map(|p| p.name.clone()).unwrap_or_default(),
                person.map(|p| p.flat.clone()).unwrap_or_default(),
                person.map(|p| p.phone.clone()).unwrap_or_default(),
                r.filed_by_name.clone(),
            ]);
        }
        csv.row(&row);
    }
    csv
}

/// Meetings and decisions 四方会谈与决议: one row per decided agenda item (or per talk without
/// a decision) of the talks dated in the period: date, the parties present (or sending a
/// deputy), the item, the decision, its total and split, its action items with their state.
///
/// Personal column: the action items' owners' names, for staff only (others see the action
/// items without who owns them). Sides, not people, are listed as present.
pub fn talks(held: &Held<'_>, who: &Exporter, filter: &Filter) -> Csv {
    let staff = who.is_staff();
    let mut header = vec![
        "date",
        "place",
        "present",
        "item",
        "decision",
        "total_yuan",
        "split",
        "actions",
        "actions_done",
    ];
    if staff {
        header.push("action_owners");
    }
    let mut csv = Csv::new(&header);
    let mut talks: Vec<_> = held
        .talks
        .iter()
        .filter(|t| day_start(&t.date).is_some_and(|d| filter.within(d)))
        .collect();
    talks.sort_by(|a, b| a.date.cmp(&b.date));
    for t in talks {
        let present: Vec<&str> = t
            .attendance
            .iter()
            .filter(|(_, a)| *a != Attendance::Absent)
            .map(|(s, _)| s.as_str())
            .collect();
        let present = present.join("; ");
        let mut decided = 0;
        let mut items: Vec<_> = t.items.iter().collect();
        items.sort_by_key(|i| i.order);
        for i in items {
            let Some(d) = &i.decision else { continue };
            decided += 1;
            let split: Vec<String> = d
                .split
                .iter()
                .map(|s| format!("{} {}", s.payer.as_str(), money(s.fen)))
                .collect();
            let actions: Vec<String> = d
                .actions
                .iter()
                .map(|a| format!("{} ({})", a.text, if a.done { "done" } else { "open" }))
                .collect();
            let mut row = vec![
                t.date.clone(),
                t.place.clone(),
                present.clone(),
                i.title.clone(),
                d.text.clone(),
                money(d.total_fen),
                split.join("; "),
                actions.join("; "),
                format!(
                    "{}/{}",
                    d.actions.iter().filter(|a| a.done).count(),
                    d.actions.len()
                ),
            ];
            if staff {
                let owners: Vec<&str> = d.actions.iter().map(|a| a.owner_name.as_str()).collect();
                row.push(owners.join("; "));
            }
            csv.row(&row);
        }
        if decided == 0 {
            csv.row(&[t.date.clone(), t.place.clone(), present]);
        }
    }
    csv
}

/// The fund's ledger 基金流水: one row per entry in the period, spending negative.
///
/// Personal column `by` (who wrote the entry, by name), for staff only: the ledger is
/// public, the people in it are not, so a resident's file has no name in it.
pub fn ledger(held: &Held<'_>, who: &Exporter, filter: &Filter) -> Csv {
    let staff = who.is_staff();
    let mut header = vec!["date", "type", "amount_yuan"];
    if staff {
        header.push("by");
    }
    header.extend(["project", "line", "note", "receipts"]);
    let mut csv = Csv::new(&header);
    let Some(ledger) = held.ledger else {
        return csv;
    };
    let titles: std::collections::HashMap<String, String> = ledger
        .projects()
        .into_iter()
        .map(|p| (p.project, p.title))
        .collect();
    for e in ledger.ordered() {
        if !filter.within(e.at) {
            continue;
        }
        let sign = e.kind.map_or(0, |k| k.cash_sign());
        let amount = if sign < 0 { -e.amount } else { e.amount };
        let mut row = vec![
            date(e.at),
            e.kind.map_or("unknown", |k| k.as_str()).to_string(),
            money(amount),
        ];
        if staff {
            let name = held
                .name(&e.by)
                .or_else(|| (!e.by_name.is_empty()).then(|| e.by_name.clone()))
                .unwrap_or_else(|| e.by.clone());
            row.push(name);
        }
        row.extend([
            titles.get(&e.project).cloned().unwrap_or_default(),
            e.line.clone(),
            e.note.clone(),
            e.receipts.join(" "),
        ]);
        csv.row(&row);
    }
    csv
}

/// The micro-grant projects 微创投项目: one row per funded project as it stands (a state, so
/// the period does not narrow it): allocated, co-funded, spent, refunded, remaining, the
/// households taking part at the start and now, closed or not.
///
/// Personal column `leader` (the proposer's name), for staff only.
pub fn projects(held: &Held<'_>, who: &Exporter) -> Csv {
    let staff = who.is_staff();
    let mut header = vec!["project"];
    if staff {
        header.push("leader");
    }
    header.extend([
        "allocated_yuan",
        "cofunded_yuan",
        "spent_yuan",
        "refunded_yuan",
        "remaining_yuan",
        "households_start",
        "households_now",
        "closed",
    ]);
    let mut csv = Csv::new(&header);
    let Some(ledger) = held.ledger else {
        return csv;
    };
    for p in ledger.projects() {
        let prop = held
            .proposals
            .iter()
            .find(|(id, _)| id.to_string() == p.project)
            .map(|(_, pr)| pr);
        let households = prop.map(|pr| pr.households()).unwrap_or_default();
        let mut row = vec![p.title.clone()];
        if staff {
            row.push(prop.map(|pr| pr.proposer_name.clone()).unwrap_or_default());
        }
        row.extend([
            money(p.allocated),
            money(p.cofunded),
            money(p.spent),
            money(p.refunded),
            money(p.remaining()),
            households
                .first()
                .map(|h| h.1.to_string())
                .unwrap_or_default(),
            households
                .last()
                .map(|h| h.1.to_string())
                .unwrap_or_default(),
            prop.is_some_and(|pr| pr.closing.is_some()).to_string(),
        ]);
        csv.row(&row);
    }
    csv
}

/// Events and attendance 活动与签到: one row per event starting in the period: kind, times,
/// place, seats, sign-ups (live), seated, waiting, checked in, no-shows (once it ended),
/// and the hours of those checked in and out.
///
/// Personal column `attendees` (the names of those checked in), for staff only: every
/// phone holds an event's sign-ups, but a resident's file names nobody.
pub fn events(held: &Held<'_>, who: &Exporter, filter: &Filter) -> Csv {
    let staff = who.is_staff();
    let mut header = vec![
        "date",
        "title",
        "kind",
        "starts_at",
        "ends_at",
        "place",
        "capacity",
        "signed_up",
        "seated",
        "waiting",
        "checked_in",
        "no_shows",
        "hours",
    ];
    if staff {
        header.push("attendees");
    }
    let mut csv = Csv::new(&header);
    let mut events: Vec<_> = held
        .events
        .iter()
        .filter(|(e, _)| filter.within(e.starts_at))
        .collect();
    events.sort_by_key(|(e, _)| e.starts_at);
    for (e, roster) in events {
        let live = e
            .signups
            .iter()
            .filter(|s| s.cancelled_at.is_none())
            .count();
        let (mut seated, mut waiting) = (0, 0);
        for pool in e.pools() {
            let st = e.standing(roster.as_ref(), &pool);
            seated += st.seated.len();
            waiting += st.waitlist.len();
        }
        let mut present: Vec<&str> = e.attendance.iter().map(|a| a.person.as_str()).collect();
        present.sort_unstable();
        present.dedup();
        let hours: f64 = present.iter().map(|p| e.hours(p)).sum();
        let mut row = vec![
            date(e.starts_at),
            e.title.clone(),
            e.template.as_str().to_string(),
            date_time(e.starts_at),
            date_time(e.ends_at),
            e.place.clone(),
            e.capacity.to_string(),
            live.to_string(),
            seated.to_string(),
            waiting.to_string(),
            present.len().to_string(),
            e.no_shows(roster.as_ref(), held.now).len().to_string(),
            format!("{hours:.1}"),
        ];
        if staff {
            let names: Vec<String> = present
                .iter()
                .map(|p| {
                    held.name(p)
                        .or_else(|| {
                            e.signups
                                .iter()
                                .find(|s| s.person == *p)
                                .map(|s| s.name.clone())
                        })
                        .unwrap_or_else(|| p.to_string())
                })
                .collect();
            row.push(names.join("; "));
        }
        csv.row(&row);
    }
    csv
}

/// Volunteer hours 志愿服务时长 (`shared::domain::volunteer::hours`): one row per activity
/// in the period: the volunteer, their age group and organisation, the date, what it was,
/// minutes, hours, confirmed or waiting, who confirmed it and the elder helped.
///
/// Personal data: staff get every volunteer with every column; anyone else only their own
/// record, without the names of who confirmed it or of the elder (other people).
pub fn volunteer_hours(held: &Held<'_>, who: &Exporter, filter: &Filter) -> Csv {
    let staff = who.is_staff();
    let mut csv = Csv::new(&[
        "volunteer",
        "age_group",
        "organisation",
        "date",
        "activity",
        "minutes",
        "hours",
        "confirmed",
        "confirmed_by",
        "elder",
    ]);
    let events: Vec<_> = held.events.iter().map(|(e, _)| e).collect();
    let mut volunteers: Vec<_> = held
        .volunteers
        .iter()
        .filter(|v| staff || v.subject == who.person)
        .collect();
    volunteers.sort_by(|a, b| a.name.cmp(&b.name));
    let name_of = |p: &str| held.name(p);
    for v in volunteers {
        let h = hours(
            &v.subject,
            Some(v),
            events.iter().copied(),
            filter.from,
            filter.to,
            &name_of,
        );
        for a in &h.activities {
            let activity = match &a.source {
                Source::Event { title } => title.clone(),
                Source::Service { kind, .. } => kind.as_str().to_string(),
            };
            let mut row = vec![
                v.name.clone(),
                v.age_group.as_str().to_string(),
                v.organisation.clone(),
                date(a.at),
                activity,
                a.minutes.to_string(),
                format!("{:.1}", minutes_to_hours(a.minutes)),
                yes(a.confirmed),
            ];
            if staff {
                let elder = a.elder.as_deref().map(|e| held.name(e).unwrap_or_default());
                row.extend([a.confirmed_by.clone(), elder.unwrap_or_default()]);
            }
            csv.row(&row);
        }
    }
    csv
}

/// Patrols 网格巡查: one row per round walked in the period (and the scope's grid): grid,
/// date and time, the round, buildings, findings, how many became requests, the midday
/// visits by outcome.
///
/// Personal column `walked_by` (the walker's name): staff, and the grid's workers and team
/// for their grids' rounds; blank otherwise. The elders visited are never named (counts only).
pub fn patrols(held: &Held<'_>, who: &Exporter, filter: &Filter) -> Csv {
    use crate::domain::patrols::Outcome;
    let personal = super::Register::Patrols.personal(who);
    let mut header = vec![
        "grid",
        "at",
        "round",
        "buildings",
        "findings",
        "findings_filed",
        "visits_well",
        "visits_needs_help",
        "visits_not_home",
    ];
    if personal {
        header.push("walked_by");
    }
    let mut csv = Csv::new(&header);
    let mut rounds: Vec<_> = held
        .patrols
        .iter()
        .filter(|l| filter.in_scope(&l.grid))
        .flat_map(|l| l.rounds.iter().map(move |r| (l.grid.as_str(), r)))
        .filter(|(_, r)| filter.within(r.at))
        .collect();
    rounds.sort_by(|a, b| (a.1.at, a.0, &a.1.id).cmp(&(b.1.at, b.0, &b.1.id)));
    rounds.dedup_by(|a, b| a.0 == b.0 && a.1.id == b.1.id);
    for (grid, r) in rounds {
        let visits = |o: Outcome| r.visits.iter().filter(|v| v.outcome == o).count();
        let mut row = vec![
            grid.to_string(),
            date_time(r.at),
            r.round.as_str().to_string(),
            r.buildings.join(" "),
            r.findings.len().to_string(),
            r.findings
                .iter()
                .filter(|f| !f.request.is_empty())
                .count()
                .to_string(),
            visits(Outcome::Well).to_string(),
            visits(Outcome::NeedsHelp).to_string(),
            visits(Outcome::NotHome).to_string(),
        ];
        if personal && (who.is_staff() || who.looks_after(grid)) {
            row.push(r.by_name.clone());
        }
        csv.row(&row);
    }
    csv
}

/// Garbage-sorting inspections 垃圾分类督导: one row per inspection in the period (and the
/// scope's grid): grid, date and time, building, bin point, result, whether a follow-up,
/// whether a reminder was sent.
///
/// Personal columns `flat` (of a mixed bin) and `inspected_by`: staff, and the grid's
/// workers and team for their grids; blank otherwise.
pub fn sorting(held: &Held<'_>, who: &Exporter, filter: &Filter) -> Csv {
    let personal = super::Register::Sorting.personal(who);
    let mut header = vec![
        "grid",
        "at",
        "building",
        "point",
        "result",
        "follow_up",
        "reminder_sent",
    ];
    if personal {
        header.extend(["flat", "inspected_by"]);
    }
    let mut csv = Csv::new(&header);
    let mut rows: Vec<_> = held
        .sorting
        .iter()
        .filter(|l| filter.in_scope(&l.grid))
        .flat_map(|l| l.inspections.iter().map(move |i| (l.grid.as_str(), i)))
        .filter(|(_, i)| filter.within(i.at))
        .collect();
    rows.sort_by(|a, b| (a.1.at, a.0, &a.1.id).cmp(&(b.1.at, b.0, &b.1.id)));
    rows.dedup_by(|a, b| a.0 == b.0 && a.1.id == b.1.id);
    for (grid, i) in rows {
        let mut row = vec![
            grid.to_string(),
            date_time(i.at),
            i.building.clone(),
            i.point.clone(),
            i.result.as_str().to_string(),
            yes(!i.follows.is_empty()),
            yes(!i.reminder.is_empty()),
        ];
        if personal && (who.is_staff() || who.looks_after(grid)) {
            row.extend([i.flat.clone(), i.by_name.clone()]);
        }
        csv.row(&row);
    }
    csv
}

/// Merchant credit 商户信用积分: one row per inspection entry in the period (and the scope's
/// grid): the shop, its grid, the date, points, reason, the score after it, whether the
/// merchant answered.
///
/// Personal column `inspected_by`: staff, and the grid's workers and team for their grids.
pub fn merchants(held: &Held<'_>, who: &Exporter, filter: &Filter) -> Csv {
    let personal = super::Register::Merchants.personal(who);
    let mut header = vec![
        "shop",
        "grid",
        "date",
        "points",
        "reason",
        "score_after",
        "answered",
    ];
    if personal {
        header.push("inspected_by");
    }
    let mut csv = Csv::new(&header);
    let mut shops: Vec<_> = held
        .merchants
        .iter()
        .filter(|m| filter.in_scope(&m.grid))
        .collect();
    shops.sort_by(|a, b| a.name.cmp(&b.name));
    for m in shops {
        let mut entries: Vec<_> = m.entries.iter().collect();
        entries.sort_by_key(|e| (e.at, e.id.clone()));
        let mut score = 100;
        for e in entries {
            score += e.points;
            if !filter.within(e.at) {
                continue;
            }
            let mut row = vec![
                m.name.clone(),
                m.grid.clone(),
                date(e.at),
                e.points.to_string(),
                e.reason.clone(),
                score.to_string(),
                yes(e.response.is_some()),
            ];
            if personal && (who.is_staff() || who.looks_after(&m.grid)) {
                row.push(e.by_name.clone());
            }
            csv.row(&row);
        }
    }
    csv
}

/// Facility works 设施改造: one row per work under way in the period (registered before its
/// end and not finished before its start; in the scope's grid, the community's shared
/// spaces only in the community's scope): title, kind, place, grid, cost, contractor,
/// status, registered and finished dates, how many requests led to it.
///
/// Personal column `registered_by`, for staff only.
pub fn works(held: &Held<'_>, who: &Exporter, filter: &Filter) -> Csv {
    use crate::domain::works::Status;
    let staff = who.is_staff();
    let mut header = vec![
        "title",
        "category",
        "place",
        "grid",
        "cost_yuan",
        "contractor",
        "status",
        "registered",
        "finished",
        "requests",
    ];
    if staff {
        header.push("registered_by");
    }
    let mut csv = Csv::new(&header);
    let mut works: Vec<_> = held
        .works
        .iter()
        .filter(|w| {
            let scoped = filter.grid.is_none() || filter.in_scope(&w.grid);
            scoped && w.created_at < filter.to
        })
        .filter_map(|w| {
            let last = w.updates.last();
            let done = last.filter(|u| u.status == Status::Done).map(|u| u.at);
            (done.is_none_or(|d| d >= filter.from)).then_some((w, last, done))
        })
        .collect();
    works.sort_by_key(|(w, _, _)| w.created_at);
    for (w, last, done) in works {
        let mut row = vec![
            w.title.clone(),
            w.category.as_str().to_string(),
            w.place.clone(),
            w.grid.clone(),
            money(w.cost_fen),
            w.contractor.clone(),
            last.map_or(Status::Planned, |u| u.status)
                .as_str()
                .to_string(),
            date(w.created_at),
            done.map(date).unwrap_or_default(),
            w.requests.len().to_string(),
        ];
        if staff {
            row.push(w.by_name.clone());
        }
        csv.row(&row);
    }
    csv
}

/// Field notes 田野笔记: one row per note observed in the period (notes belong to no grid:
/// in the community's scope only), oldest first: the day, title, place, tags, what it is
/// linked to (talk and request document ids, case id), the text.
///
/// Personal column `author` (the author's name; `erased` once erased) for staff and grid
/// workers, who read every note; a volunteer's phone holds only her own notes and her file
/// has no author column. The text may describe people: only those who may read the notes
/// are offered the register ([`super::Register::offered_to`]).
pub fn notes(held: &Held<'_>, who: &Exporter, filter: &Filter) -> Csv {
    use crate::policy::Role;
    let author = matches!(who.role, Some(Role::Staff | Role::GridWorker));
    let mut header = vec![
        "observed", "title", "place", "tags", "talk", "request", "case", "text",
    ];
    if author {
        header.push("author");
    }
    let mut csv = Csv::new(&header);
    // A resident's phone holds no notes; were some passed, her file still has none.
    if filter.grid.is_some() || !super::Register::Notes.offered_to(who) {
        return csv;
    }
    let mut notes: Vec<_> = held
        .notes
        .iter()
        .filter(|n| filter.within(n.observed_at))
        .collect();
    notes.sort_by(|a, b| (a.observed_at, &a.title).cmp(&(b.observed_at, &b.title)));
    for n in notes {
        let mut row = vec![
            date(n.observed_at),
            n.title.clone(),
            n.place.clone(),
            n.tags.join(" "),
            n.talk.clone(),
            n.request.clone(),
            n.case.clone(),
            n.body.clone(),
        ];
        if author {
            row.push(if n.by == "erased" {
                "erased".to_string()
            } else if n.by_name.is_empty() {
                held.name(&n.by).unwrap_or_else(|| n.by.clone())
            } else {
                n.by_name.clone()
            });
        }
        csv.row(&row);
    }
    csv
}

/// Governance-school sessions 社区治理学院: one row per session starting in the period
/// (sessions belong to no grid: in the community's scope only), oldest first: the day, title,
/// topic, method, trainer and organisation, times, place, capacity, seated, waiting, attended.
///
/// Personal columns `participants` and `attended_by` (names from the people's records, `;`
/// separated) for staff only: a sign-up line holds an id, and only staff hold every record.
pub fn trainings(held: &Held<'_>, who: &Exporter, filter: &Filter) -> Csv {
    let staff = who.is_staff();
    let mut header = vec![
        "date",
        "title",
        "topic",
        "method",
        "trainer",
        "trainer_org",
        "starts_at",
        "ends_at",
        "place",
        "capacity",
        "signed_up",
        "waiting",
        "attended",
    ];
    if staff {
        header.extend(["participants", "attended_by"]);
    }
    let mut csv = Csv::new(&header);
    if filter.grid.is_some() {
        return csv;
    }
    let mut all: Vec<_> = held
        .trainings
        .iter()
        .filter(|t| filter.within(t.starts_at))
        .collect();
    all.sort_by(|a, b| (a.starts_at, &a.title).cmp(&(b.starts_at, &b.title)));
    for t in all {
        let (seated, waiting) = t.counts();
        let mut row = vec![
            date(t.starts_at),
            t.title.clone(),
            t.topic.as_str().to_string(),
            t.method.as_str().to_string(),
            t.trainer.clone(),
            t.trainer_org.clone(),
            date_time(t.starts_at),
            date_time(t.ends_at),
            t.place.clone(),
            t.capacity.to_string(),
            seated.to_string(),
            waiting.to_string(),
            t.attended().to_string(),
        ];
        if staff {
            let name = |p: &str| {
                if p == crate::domain::requests::ERASED {
                    "erased".to_string()
                } else {
                    held.name(p).unwrap_or_else(|| p.to_string())
                }
            };
            let seated = t.seated();
            row.push(
                seated
                    .iter()
                    .map(|s| name(&s.person))
                    .collect::<Vec<_>>()
                    .join("; "),
            );
            row.push(
                seated
                    .iter()
                    .filter(|s| s.attended == Some(true))
                    .map(|s| name(&s.person))
                    .collect::<Vec<_>>()
                    .join("; "),
            );
        }
        csv.row(&row);
    }
    csv
}

/// Charter and rules 社区公约: one row per version adopted within the period, oldest first,
/// with whether it is the one in force, the decision that adopted it and its whole text; who
/// recorded it for staff only. The community's rules are the whole community's: nothing for
/// one grid.
pub fn charters(held: &Held<'_>, who: &Exporter, filter: &Filter) -> Csv {
    let staff = who.is_staff();
    let mut header = vec![
        "adopted_on",
        "title",
        "version",
        "in_force",
        "decision",
        "text",
    ];
    if staff {
        header.push("recorded_by");
    }
    let mut csv = Csv::new(&header);
    if filter.grid.is_some() {
        return csv;
    }
    let mut rows: Vec<(&crate::domain::charter::Charter, usize)> = held
        .charters
        .iter()
        .flat_map(|c| (0..c.versions.len()).map(move |i| (c, i)))
        .filter(|(c, i)| filter.within(c.versions[*i].adopted_at))
        .collect();
    rows.sort_by(|(a, i), (b, j)| {
        (a.versions[*i].adopted_at, &a.title, i).cmp(&(b.versions[*j].adopted_at, &b.title, j))
    });
    for (c, i) in rows {
        let v = &c.versions[i];
        let mut row = vec![
            date(v.adopted_at),
            c.title.clone(),
            (i + 1).to_string(),
            if i + 1 == c.versions.len() {
                "yes"
            } else {
                "no"
            }
            .to_string(),
            v.decision.clone(),
            v.text.clone(),
        ];
        if staff {
            row.push(v.by_name.clone());
        }
        csv.row(&row);
    }
    csv
}

/// The resources register 社区资源: one row per resource in scope (a withdrawn or erased talent
/// only on staff's file), its type, place, hours, capacity and the ids of where it is used.
/// A talent's name is on staff's file and on its own person's only: a file outlives a
/// withdrawal, so others' files name nobody (the live map does, while she consents).
/// Staff's file adds the talent's person, her consent (own, or the paper's date), the
/// withdrawal, who recorded it, and the contact: the person's phone from her record (no
/// resource holds one; residents reach a talent through the office).
pub fn resources(held: &Held<'_>, who: &Exporter, filter: &Filter) -> Csv {
    use crate::domain::resource::Consent;
    let staff = who.is_staff();
    let mut header = vec![
        "type",
        "name",
        "building",
        "grid",
        "hours",
        "capacity",
        "description",
        "talent_name",
        "used_in",
        "recorded_on",
    ];
    if staff {
        header.extend([
            "person",
            "consent",
            "consent_date",
            "withdrawn_on",
            "recorded_by",
            "contact",
        ]);
    }
    let mut csv = Csv::new(&header);
    let mut all: Vec<_> = held
        .resources
        .iter()
        .filter(|r| filter.in_scope(&r.grid))
        .filter(|r| staff || (r.public && r.offered()))
        .collect();
    all.sort_by(|a, b| (a.rtype, &a.grid, &a.name).cmp(&(b.rtype, &b.grid, &b.name)));
    for r in all {
        let mut row = vec![
            r.rtype.as_str().to_string(),
            r.name.clone(),
            r.building.clone(),
            r.grid.clone(),
            r.hours.clone(),
            r.capacity.clone(),
            r.description.clone(),
            if staff || r.subject == who.person {
                r.person_name.clone()
            } else {
                String::new()
            },
            r.links.join("; "),
            date(r.created_at),
        ];
        if staff {
            row.extend([
                r.subject.clone(),
                r.consent.map_or("", Consent::as_str).to_string(),
                r.consent_date.clone(),
                r.withdrawn_at.map(date).unwrap_or_default(),
                held.name(&r.by).unwrap_or_else(|| r.by_name.clone()),
                held.person(&r.subject)
                    .map(|p| p.phone.clone())
                    .unwrap_or_default(),
            ]);
        }
        csv.row(&row);
    }
    csv
}

/// Children's drawings 童眼看社区: every drawing this person can read (the drawings their phone
/// holds, then the gallery's others), with its status and the works it led to; the guardian,
/// the consent's date and whether it may be shown for staff only. No grid: a grid's file is
/// empty.
pub fn drawings(held: &Held<'_>, who: &Exporter, filter: &Filter) -> Csv {
    use crate::domain::drawing::gallery_key;
    let staff = who.is_staff();
    let mut header = vec![
        "date", "nickname", "age", "school", "title", "proposes", "place", "status", "works",
        "shown",
    ];
    if staff {
        header.extend(["guardian", "consent_date", "guardian_agrees_to_show"]);
    }
    let mut csv = Csv::new(&header);
    if filter.grid.is_some() {
        return csv;
    }
    let yes = |b: bool| if b { "yes" } else { "no" }.to_string();
    let mut rows: Vec<(Millis, Vec<String>)> = Vec::new();
    let keys: Vec<String> = held
        .drawings
        .iter()
        .map(|(id, _)| gallery_key(id))
        .collect();
    for (_, d) in held.drawings {
        let mut row = vec![
            date(d.created_at),
            d.nickname.clone(),
            d.age.to_string(),
            d.school.clone(),
            d.title.clone(),
            d.proposes.clone(),
            d.place.clone(),
            d.status.as_str().to_string(),
            d.works.clone(),
            yes(d.public()),
        ];
        if staff {
            row.extend([d.guardian_name.clone(), date(d.consent_at), yes(d.publish)]);
        }
        rows.push((d.created_at, row));
    }
    for e in held
        .drawing_gallery
        .map(|g| g.entries.as_slice())
        .unwrap_or_default()
    {
        if keys.contains(&e.key) {
            continue;
        }
        let mut row = vec![
            date(e.created_at),
            e.nickname.clone(),
            e.age.to_string(),
            e.school.clone(),
            e.title.clone(),
            e.proposes.clone(),
            e.place.clone(),
            e.status.as_str().to_string(),
            e.works.clone(),
            yes(true),
        ];
        if staff {
            row.extend([String::new(), String::new(), String::new()]);
        }
        rows.push((e.created_at, row));
    }
    rows.retain(|(at, _)| filter.within(*at));
    rows.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    for (_, row) in rows {
        csv.row(&row);
    }
    csv
}
