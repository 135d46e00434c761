//! Owners' votes 业主表决 for the demo and the scale seeding: every flat on record gets a floor
//! area, then a closed vote that passed (the maintenance fund for the 12 buildings' roof
//! leaks, from the talk decision on 7号楼顶层漏水) and an open one on renting out a shared
//! part (three quarters needed) with partial ballots, some from owners' phones, some entered
//! from paper lists by the grids' building leaders.

use linli_shared::domain::owners_vote::{
    Choice, Matter, RollEntry, SheetCommand, VoteDraft, close_vote, create_sheet, create_vote,
    roll_from_records, tally,
};
use linli_shared::domain::talks::Talk;
use linli_shared::domain::{DocKind, ModelError, owners_vote};
use linli_shared::ids::DocumentId;
use linli_shared::time::{DAY, HOUR, MINUTE, Millis};

use automerge::ROOT;
use automerge::transaction::Transactable;

use super::{Rng, SeedError};
use crate::hub::HubCtx;
use crate::identity::{self, Invite};

/// The reusable demo invite of grid 7's building leader (楼组长), who collects paper ballots.
pub(crate) const LEADER_CODE: &str = "GRD7HEAD";
/// Grid 7's building leader in the demo (the first of its residents who does not live alone).
pub(crate) const LEADER: &str = "p-r012";

/// A flat's floor area in hundredths of m², the same for the same flat on every start: 60 to
/// 140 m², larger on the top floors.
pub(crate) fn area_of(flat: &str) -> i64 {
    let h = flat.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    6_000 + (h % 8_001) as i64
}

/// A document as the relay holds it.
fn read(ctx: &mut HubCtx<'_>, id: &DocumentId) -> Result<Option<automerge::Automerge>, SeedError> {
    ctx.relay
        .document(ctx.store, id)
        .map_err(|e| SeedError::Change(e.into()))
}

/// A flat's owner as the seed has it: flat, person id, name.
type Owner = (String, String, String);

/// Writes each person record's `area` (from its flat) and returns the roll, with an owner
/// per flat (the first person on record there).
fn areas_and_roll(ctx: &mut HubCtx<'_>) -> Result<(Vec<RollEntry>, Vec<Owner>), SeedError> {
    let people: Vec<DocumentId> = ctx
        .relay
        .documents()
        .filter(|(_, m)| m.scope.kind == Some(DocKind::Person))
        .map(|(id, _)| *id)
        .collect();
    let mut records = Vec::new();
    let mut owners: Vec<Owner> = Vec::new();
    for id in people {
        let Some(doc) = read(ctx, &id)? else {
            continue;
        };
        let Ok(p) = linli_shared::domain::people::Person::read(&doc) else {
            continue;
        };
        if p.flat.is_empty() || p.household.is_empty() {
            continue;
        }
        let area = area_of(&p.flat);
        let outs = ctx.relay.local_change(ctx.store, id, |d| {
            d.transact::<_, _, automerge::AutomergeError>(|tx| tx.put(ROOT, "area", area))
                .map_err(|f| ModelError::from(f.error))?;
            Ok(())
        })?;
        ctx.emit(outs);
        if !owners.iter().any(|(f, _, _)| *f == p.flat) {
            owners.push((p.flat.clone(), p.id.clone(), p.name.clone()));
        }
        records.push((p.flat, Some(area), p.household, p.grid));
    }
    Ok((roll_from_records(records).0, owners))
}

fn owner_lookup(owners: &[Owner]) -> impl Fn(&RollEntry) -> Option<(String, String)> + '_ {
    move |e| {
        owners
            .iter()
            .find(|(flat, _, _)| *flat == e.flat)
            .map(|(_, id, name)| (id.clone(), name.clone()))
    }
}

/// Who writes a ballot for a flat in the seed: its owner, or its grid's building leader from
/// a paper list.
pub(crate) struct Collector<'a> {
    pub(crate) grid: &'a str,
    pub(crate) person: &'a str,
    pub(crate) name: &'a str,
}

/// Opens a vote over `roll` at `opens_at`, writes the ballots `choose` gives (flat index →
/// choice and whether on paper), and closes it with its result if `close_at` is given.
#[allow(clippy::too_many_arguments)]
fn seed_vote(
    ctx: &mut HubCtx<'_>,
    ids: &mut dyn FnMut() -> DocumentId,
    draft: VoteDraft,
    roll: &[RollEntry],
    owners: &dyn Fn(&RollEntry) -> Option<(String, String)>,
    collectors: &[Collector<'_>],
    choose: &mut dyn FnMut(usize) -> Option<(Choice, bool)>,
    close_at: Option<Millis>,
) -> Result<DocumentId, SeedError> {
    let created = draft.opens_at - HOUR;
    let vote = ids();
    let outs = ctx
        .relay
        .local_change(ctx.store, vote, |d| create_vote(d, &draft, roll, created))?;
    ctx.emit(outs);
    let mut sheets = Vec::new();
    for (i, entry) in roll.iter().enumerate() {
        let id = ids();
        let choice = choose(i);
        let writer = match choice {
            Some((_, false)) => owners(entry),
            Some((_, true)) => collectors
                .iter()
                .find(|c| c.grid == entry.grid)
                .map(|c| (c.person.to_string(), c.name.to_string())),
            None => None,
        };
        let span = (draft.closes_at.min(close_at.unwrap_or(Millis::MAX)) - draft.opens_at).max(1);
        let at = draft.opens_at + (i as i64 * 7_919 * MINUTE) % span;
        let outs = ctx.relay.local_change(ctx.store, id, |d| {
            create_sheet(
                d,
                &vote.to_string(),
                entry,
                draft.opens_at,
                draft.closes_at,
                created,
            )?;
            if let (Some((c, paper)), Some((by, by_name))) = (choice, &writer) {
                SheetCommand::Cast {
                    by: by.clone(),
                    by_name: by_name.clone(),
                    choice: c,
                    paper,
                }
                .apply(d, at)?;
            }
            if let Some(at) = close_at {
                SheetCommand::Close.apply(d, at)?;
            }
            Ok(())
        })?;
        ctx.emit(outs);
        if let Some(doc) = read(ctx, &id)? {
            sheets.push(owners_vote::Sheet::read(&doc).map_err(|_| {
                SeedError::Change(linli_shared::relay::LocalChangeError::Model(
                    ModelError::Malformed("sheet"),
                ))
            })?);
        }
    }
    if let Some(at) = close_at {
        let doc = read(ctx, &vote)?;
        if let Some(v) = doc.and_then(|d| owners_vote::Vote::read(&d).ok()) {
            let result = tally(&vote.to_string(), &v, &sheets);
            let outs = ctx
                .relay
                .local_change(ctx.store, vote, |d| close_vote(d, &result, at))?;
            ctx.emit(outs);
        }
    }
    Ok(vote)
}

/// The talk item whose decision sent 7号楼's roof to the owners (the earliest one), and when
/// it was decided.
fn roof_decision(ctx: &mut HubCtx<'_>) -> Result<Option<(DocumentId, String, Millis)>, SeedError> {
    let talks: Vec<DocumentId> = ctx
        .relay
        .documents()
        .filter(|(_, m)| m.scope.kind == Some(DocKind::Talk))
        .map(|(id, _)| *id)
        .collect();
    let mut best: Option<(DocumentId, String, Millis)> = None;
    for id in talks {
        let Some(doc) = read(ctx, &id)? else {
            continue;
        };
        let Ok(t) = Talk::read(&doc) else { continue };
        for item in t.items {
            if let Some(d) = &item.decision
                && item.title.contains("漏水")
                && best.as_ref().is_none_or(|b| d.decided_at < b.2)
            {
                best = Some((id, item.id.clone(), d.decided_at));
            }
        }
    }
    Ok(best)
}

/// The demo's votes: the closed roof vote and the open rental vote, and grid 7's building
/// leader's invite. `collectors` are the grids' building leaders.
pub(crate) fn seed_demo(
    ctx: &mut HubCtx<'_>,
    ids: &mut dyn FnMut() -> DocumentId,
    now: Millis,
    collectors: &[Collector<'_>],
) -> Result<(), SeedError> {
    let (roll, owners) = areas_and_roll(ctx)?;
    if roll.is_empty() {
        return Ok(());
    }
    let owner_of = owner_lookup(&owners);
    let mut rng = Rng(0x564F_5445_5331);
    // The roof: decided at the talks, voted over two weeks, passed with most flats voting.
    let (talk, item, decided) = match roof_decision(ctx)? {
        Some((t, i, at)) => (Some(t.to_string()), Some(i), at),
        None => (None, None, now - 150 * DAY),
    };
    let opens = decided.min(now - 30 * DAY) + DAY;
    let draft = VoteDraft {
        question: "使用专项维修资金翻修12栋楼屋面防水（7号楼顶层漏水等），费用按各栋分摊".into(),
        matter: Matter::UseFund,
        talk,
        item,
        opens_at: opens,
        closes_at: opens + 14 * DAY,
    };
    seed_vote(
        ctx,
        ids,
        draft,
        &roll,
        &owner_of,
        collectors,
        &mut |_| match rng.below(100) {
            0..=61 => Some((Choice::Yes, rng.below(3) == 0)),
            62..=69 => Some((Choice::No, rng.below(3) == 0)),
            70..=79 => Some((Choice::Abstain, true)),
            _ => None,
        },
        Some(opens + 14 * DAY),
    )?;
    // Renting out the ground floor of 3号楼 to a parcel station: open, half way through, about
    // two flats in five have voted. 王秀英's flat has not: her phone shows the vote.
    let opens = now - 6 * DAY;
    let draft = VoteDraft {
        question: "将3号楼架空层出租给快递驿站，租金纳入小区公共收益".into(),
        matter: Matter::ChangeSharedParts,
        talk: None,
        item: None,
        opens_at: opens,
        closes_at: opens + 14 * DAY,
    };
    let skip = roll.iter().position(|e| e.flat == "7-2-301");
    seed_vote(
        ctx,
        ids,
        draft,
        &roll,
        &owner_of,
        collectors,
        &mut |i| {
            if Some(i) == skip {
                return None;
            }
            match rng.below(100) {
                0..=26 => Some((Choice::Yes, rng.below(4) == 0)),
                27..=34 => Some((Choice::No, rng.below(4) == 0)),
                35..=39 => Some((Choice::Abstain, false)),
                _ => None,
            }
        },
        None,
    )?;
    identity::put_invite(
        ctx.store,
        &Invite {
            code: LEADER_CODE.into(),
            person: LEADER.into(),
            expires_at: now + 3650 * DAY,
            used_at: None,
            used_by: None,
            reusable: true,
            created_by: "demo".into(),
            created_at: now,
        },
    )?;
    Ok(())
}

/// The scale seeding: twice a year one building's owners vote on using the maintenance fund,
/// all on their own phones (the scale community's grids have no paper collectors here).
pub(crate) fn seed_scale(
    ctx: &mut HubCtx<'_>,
    ids: &mut dyn FnMut() -> DocumentId,
    years: i64,
    end: Millis,
    rng: &mut Rng,
) -> Result<(), SeedError> {
    let (roll, owners) = areas_and_roll(ctx)?;
    if roll.is_empty() {
        return Ok(());
    }
    let owner_of = owner_lookup(&owners);
    let mut buildings: Vec<String> = roll.iter().map(|e| e.building().to_string()).collect();
    buildings.sort();
    buildings.dedup();
    for y in 0..years {
        for k in 0..2 {
            let b = &buildings[rng.below(buildings.len() as u64) as usize];
            let part: Vec<RollEntry> = roll.iter().filter(|e| e.building() == b).cloned().collect();
            let opens = end - (years - y) * 365 * DAY + (60 + k * 150) * DAY;
            let draft = VoteDraft {
                question: if k == 0 {
                    format!("使用专项维修资金维修{b}号楼屋面防水")
                } else {
                    format!("使用专项维修资金更换{b}号楼电梯主机")
                },
                matter: Matter::UseFund,
                talk: None,
                item: None,
                opens_at: opens,
                closes_at: opens + 14 * DAY,
            };
            let turnout = 60 + rng.below(35);
            let mut seed = rng.next();
            seed_vote(
                ctx,
                ids,
                draft,
                &part,
                &owner_of,
                &[],
                &mut |_| {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    let r = (seed >> 33) % 100;
                    (r < turnout).then(|| {
                        let c = if r < turnout * 7 / 10 {
                            Choice::Yes
                        } else {
                            Choice::No
                        };
                        (c, false)
                    })
                },
                Some(opens + 14 * DAY),
            )?;
        }
    }
    Ok(())
}
