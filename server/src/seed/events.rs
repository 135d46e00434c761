//! Events 睦邻活动 for the demo and the scale seeding: the article's 16 events over the past
//! year (the monthly 睦邻文化节, the 百家宴 potluck, the 阳台花园竞赛 balcony garden contest,
//! 粽香传情 zongzi for elders living alone), with sign-ups (a waitlist on the popular potluck,
//! a few cancellations), volunteer roles filled by the youth volunteer 陈小雨 (`p-chen`) and
//! others, check-ins and check-outs at the door by the organiser, and no-shows; and a few
//! upcoming events the demo resident 王秀英 can sign up for. The relay writes them through its
//! own edits, so each event's roster (the seat order) is kept as for any sign-up.

use linli_shared::automerge;
use linli_shared::domain::event::{
    Event, EventCommand, EventDraft, Per, Roster, Template, VolunteerRole, local_input, roster,
};
use linli_shared::ids::DocumentId;
use linli_shared::time::{DAY, HOUR, MINUTE, Millis, shanghai_day, shanghai_day_start};

use super::{Rng, SeedError};
use crate::hub::HubCtx;

/// Someone who may sign up: person id, name, household.
pub(super) struct Neighbour {
    pub person: String,
    pub name: String,
    pub household: String,
}

/// One event to seed: its kind, title, place, capacity, volunteer roles, and how many sign
/// up (as a share of the capacity, in percent: over 100 makes a waitlist).
struct Plan {
    template: Template,
    title: &'static str,
    description: &'static str,
    place: &'static str,
    capacity: u32,
    per: Per,
    roles: &'static [(&'static str, u32)],
    demand: u32,
}

const FESTIVAL: Plan = Plan {
    template: Template::Festival,
    title: "睦邻文化节",
    description: "每月一次的邻里节：游园、义剪、便民维修和小朋友的绘画角。",
    place: "中心广场",
    capacity: 40,
    per: Per::Person,
    roles: &[("引导", 2), ("摊位", 2)],
    demand: 80,
};

const POTLUCK: Plan = Plan {
    template: Template::Potluck,
    title: "百家宴",
    description: "每家带一道拿手菜，长桌摆在中心花园，邻居们坐在一起吃顿饭。",
    place: "中心花园长廊",
    capacity: 20,
    per: Per::Household,
    roles: &[("摆桌", 2)],
    demand: 130,
};

const GARDEN: Plan = Plan {
    template: Template::Garden,
    title: "阳台花园竞赛",
    description: "晒出你家阳台的花草，评委上门看，居民投票选出最美阳台。",
    place: "各楼栋（评委上门）",
    capacity: 30,
    per: Per::Household,
    roles: &[("评委助理", 2)],
    demand: 70,
};

const ZONGZI: Plan = Plan {
    template: Template::Zongzi,
    title: "粽香传情",
    description: "年轻家庭和孩子一起包粽子，送给独居老人，陪老人聊聊天。",
    place: "社区活动室",
    capacity: 24,
    per: Per::Household,
    roles: &[("送粽上门", 4)],
    demand: 100,
};

fn draft(
    plan: &Plan,
    title: String,
    starts: Millis,
    hours: i64,
    organisers: &[&str],
) -> EventDraft {
    EventDraft {
        title,
        template: Some(plan.template),
        description: plan.description.into(),
        photos: Vec::new(),
        starts: local_input(starts),
        ends: local_input(starts + hours * HOUR),
        place: plan.place.into(),
        capacity: plan.capacity.to_string(),
        opens: local_input(starts - 14 * DAY),
        closes: local_input(starts - 2 * HOUR),
        per: plan.per,
        roles: plan
            .roles
            .iter()
            .map(|(role, count)| VolunteerRole {
                role: (*role).into(),
                count: *count,
            })
            .collect(),
        organisers: organisers.iter().map(|o| o.to_string()).collect(),
        repeat_of: String::new(),
    }
}

/// Writes one event: created by `staff`, sign-ups over its window, and, when it is over,
/// check-ins and check-outs (about one seated in ten does not come).
#[allow(clippy::too_many_arguments)]
fn event(
    ctx: &mut HubCtx<'_>,
    id: DocumentId,
    d: &EventDraft,
    plan: &Plan,
    staff: (&str, &str),
    people: &[Neighbour],
    volunteers: &[Neighbour],
    signups: usize,
    now: Millis,
    rng: &mut Rng,
) -> Result<(), SeedError> {
    let starts = linli_shared::domain::event::parse_local(&d.starts).unwrap_or(now);
    let ends = linli_shared::domain::event::parse_local(&d.ends).unwrap_or(now);
    let opens = linli_shared::domain::event::parse_local(&d.opens).unwrap_or(now);
    let over = ends < now;
    let organiser = d.organisers.first().cloned().unwrap_or_default();
    // Who signs up, in the order they did: a stride through the neighbours.
    let offset = rng.below(people.len().max(1) as u64) as usize;
    let mut seen_households = std::collections::HashSet::new();
    let chosen: Vec<&Neighbour> = (0..people.len())
        .map(|k| &people[(offset + k * 7 + k / people.len()) % people.len()])
        .filter(|n| {
            let key = match plan.per {
                Per::Person => n.person.clone(),
                Per::Household => n.household.clone(),
            };
            seen_households.insert(key)
        })
        .take(signups)
        .collect();
    let window = (starts - 2 * HOUR - opens).min(now - opens).max(HOUR);
    let outs = ctx.relay.local_change(ctx.store, id, |doc| {
        EventCommand::Create {
            draft: Box::new(d.clone()),
            by: staff.0.into(),
            by_name: staff.1.into(),
        }
        .apply(doc, opens - DAY)?;
        let mut at = opens + HOUR;
        for n in &chosen {
            at += (window / (signups as i64 + 2)).max(MINUTE) / 2 + rng.below(30) as i64 * MINUTE;
            EventCommand::SignUp {
                person: n.person.clone(),
                household: n.household.clone(),
                name: n.name.clone(),
                by: n.person.clone(),
                role: String::new(),
            }
            .apply(doc, at.min(now - MINUTE))?;
        }
        // Volunteers take the roles (陈小雨 first).
        for (k, (role, count)) in plan.roles.iter().enumerate() {
            for v in volunteers.iter().skip(k).take(*count as usize) {
                let taken = Event::read(doc)?.live_signup(&v.person, "").is_some();
                if taken {
                    continue;
                }
                EventCommand::SignUp {
                    person: v.person.clone(),
                    household: v.household.clone(),
                    name: v.name.clone(),
                    by: v.person.clone(),
                    role: (*role).into(),
                }
                .apply(doc, (opens + 2 * HOUR).min(now - MINUTE))?;
            }
        }
        // A few cancel (two days before).
        let e = Event::read(doc)?;
        for s in e
            .signups
            .iter()
            .filter(|s| s.role.is_empty())
            .skip(3)
            .step_by(9)
        {
            let when = (starts - 2 * DAY).min(now - MINUTE);
            if when > s.at {
                EventCommand::Cancel {
                    signup: s.id.clone(),
                }
                .apply(doc, when)?;
            }
        }
        if !over {
            return Ok(());
        }
        // At the door: the seats by the roster's rule (the relay appends these sign-ups in
        // the order they were made), about one seated in ten not coming.
        let e = Event::read(doc)?;
        let mut order = automerge::Automerge::new();
        roster::create(&mut order, "seed")?;
        roster::append(&mut order, &e, now)?;
        let order = Roster::read(&order)?;
        let seated: Vec<String> = e
            .pools()
            .iter()
            .flat_map(|p| e.standing(Some(&order), p).seated)
            .filter_map(|sid| e.signup(&sid).map(|s| s.person.clone()))
            .collect();
        for (k, person) in seated.iter().enumerate() {
            if rng.below(10) == 0 {
                continue;
            }
            EventCommand::CheckIn {
                person: person.clone(),
                by: organiser.clone(),
            }
            .apply(doc, starts - 10 * MINUTE + (k as i64 % 20) * MINUTE)?;
            EventCommand::CheckOut {
                person: person.clone(),
            }
            .apply(doc, ends - 20 * MINUTE + (k as i64 % 30) * MINUTE)?;
        }
        Ok(())
    })?;
    ctx.emit(outs);
    Ok(())
}

/// `hour` o'clock on a Shanghai day.
fn afternoon(day: i64, hour: i64) -> Millis {
    shanghai_day_start(day) + hour * HOUR
}

/// The demo's year of events and the upcoming ones; returns the documents written.
#[allow(clippy::too_many_arguments)]
pub(super) fn seed_demo(
    ctx: &mut HubCtx<'_>,
    people: &[Neighbour],
    volunteers: &[Neighbour],
    staff: (&str, &str),
    organisers: &[&str],
    now: Millis,
    rng: &mut Rng,
    ids: &mut dyn FnMut(&mut Rng) -> DocumentId,
) -> Result<Vec<DocumentId>, SeedError> {
    let today = shanghai_day(now);
    let mut written = Vec::new();
    // The past year: a festival each month (the last Saturday-ish of the month), and the
    // potluck, the balcony gardens and the zongzi between them: 16 in all.
    let mut plans: Vec<(&Plan, i64, String)> = (0..12)
        .map(|m| {
            let day = today - 365 + 30 * m + 12;
            (
                &FESTIVAL,
                day,
                format!("{}（第{}期）", FESTIVAL.title, m + 1),
            )
        })
        .collect();
    plans.push((&POTLUCK, today - 300, format!("{}·春", POTLUCK.title)));
    plans.push((&ZONGZI, today - 190, ZONGZI.title.to_string()));
    plans.push((&GARDEN, today - 120, GARDEN.title.to_string()));
    plans.push((&POTLUCK, today - 40, format!("{}·秋", POTLUCK.title)));
    for (plan, day, title) in plans {
        let starts = afternoon(day, 14);
        let d = draft(plan, title, starts, 3, organisers);
        let signups = (plan.capacity * plan.demand / 100) as usize;
        let id = ids(rng);
        event(
            ctx, id, &d, plan, staff, people, volunteers, signups, now, rng,
        )?;
        written.push(id);
    }
    // Upcoming: next month's festival (open), a potluck one seat from full (王秀英 can take
    // the last one, the next waits), and 粽香传情 needing volunteers.
    let upcoming = [
        (&FESTIVAL, today + 9, "睦邻文化节（下期）", 10),
        (
            &POTLUCK,
            today + 12,
            "百家宴·冬至",
            POTLUCK.capacity as usize - 1,
        ),
        (&ZONGZI, today + 20, "粽香传情·冬日版", 8),
    ];
    for (plan, day, title, signups) in upcoming {
        let starts = afternoon(day, 14);
        let mut d = draft(plan, title.into(), starts, 3, organisers);
        // Sign-up is open now.
        d.opens = local_input(now - 5 * DAY);
        let id = ids(rng);
        let others: Vec<Neighbour> = people
            .iter()
            .filter(|n| n.person != "p-wang")
            .map(|n| Neighbour {
                person: n.person.clone(),
                name: n.name.clone(),
                household: n.household.clone(),
            })
            .collect();
        event(
            ctx, id, &d, plan, staff, &others, volunteers, signups, now, rng,
        )?;
        written.push(id);
    }
    Ok(written)
}

/// The scale community's events: one festival a month over `[from, to)`, at most
/// `max` of them, with sign-ups and attendance like the demo's.
#[allow(clippy::too_many_arguments)]
pub(super) fn seed_monthly(
    ctx: &mut HubCtx<'_>,
    people: &[Neighbour],
    volunteers: &[Neighbour],
    staff: (&str, &str),
    from: Millis,
    to: Millis,
    max: usize,
    rng: &mut Rng,
    ids: &mut dyn FnMut(&mut Rng) -> DocumentId,
) -> Result<Vec<DocumentId>, SeedError> {
    let mut written = Vec::new();
    let (first, last) = (shanghai_day(from) + 14, shanghai_day(to));
    let mut day = first;
    let mut n = 0;
    while day < last && n < max {
        let starts = afternoon(day, 14);
        let title = format!("{}（第{}期）", FESTIVAL.title, n + 1);
        let d = draft(&FESTIVAL, title, starts, 3, &[]);
        let id = ids(rng);
        let signups = (FESTIVAL.capacity * FESTIVAL.demand / 100) as usize;
        event(
            ctx, id, &d, &FESTIVAL, staff, people, volunteers, signups, to, rng,
        )?;
        written.push(id);
        day += 30;
        n += 1;
    }
    Ok(written)
}
