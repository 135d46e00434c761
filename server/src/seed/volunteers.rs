//! Volunteers 志愿者 for the demo and the scale seeding: each volunteer's record (profile,
//! age group, school or organisation) and a year of service entries (proxy filings for
//! elders and home visits, mostly confirmed by staff a day or two later; the last few still
//! 待确认). Their events hours come from the events seed (check-in to check-out).

use linli_shared::domain::volunteer::{
    AgeGroup, EntryDraft, EntryKind, ProfileDraft, confirm, create, log,
};
use linli_shared::ids::DocumentId;
use linli_shared::time::{DAY, HOUR, MINUTE, Millis, shanghai_day, shanghai_day_start};

use super::{Rng, SeedError};
use crate::hub::HubCtx;

/// One volunteer to seed.
pub(super) struct Helper {
    pub person: String,
    pub name: String,
    pub age_group: AgeGroup,
    pub organisation: String,
    pub skills: &'static str,
    pub availability: &'static str,
    /// Service entries a month.
    pub per_month: u64,
}

const VISIT_NOTES: [&str; 4] = [
    "上门陪老人聊天，教用手机视频通话",
    "帮老人整理药盒，提醒按时吃药",
    "陪老人散步，检查家中燃气阀门",
    "帮老人设置手机字体和紧急联系人",
];
const PROXY_NOTES: [&str; 3] = [
    "代老人在邻里上报楼道灯不亮",
    "代老人报修水龙头漏水",
    "代老人预约社区义诊",
];

/// Writes each volunteer's record with entries from `from` to `to`, helping `elders` (person
/// ids), confirmed by `staff` (id, name); returns the documents written.
#[allow(clippy::too_many_arguments)]
pub(super) fn seed(
    ctx: &mut HubCtx<'_>,
    helpers: &[Helper],
    elders: &[String],
    staff: (&str, &str),
    from: Millis,
    to: Millis,
    rng: &mut Rng,
    ids: &mut dyn FnMut(&mut Rng) -> DocumentId,
) -> Result<Vec<DocumentId>, SeedError> {
    let span = (to - from).max(DAY);
    let months = (span / (30 * DAY)).max(1) as u64;
    let mut written = Vec::new();
    for h in helpers {
        let doc = ids(rng);
        let count = (months * h.per_month).min(600);
        let mut plan: Vec<(Millis, EntryDraft, bool)> = Vec::new();
        for k in 0..count {
            let day = shanghai_day(from + (k as i64 * span) / count as i64);
            let at = shanghai_day_start(day) + (9 + rng.below(9) as i64) * HOUR;
            if !(from..to).contains(&at) {
                continue;
            }
            let proxy = rng.below(3) == 0;
            let (kind, minutes, note) = if proxy {
                let n = PROXY_NOTES[rng.below(PROXY_NOTES.len() as u64) as usize];
                (EntryKind::Proxy, 30, n)
            } else {
                let n = VISIT_NOTES[rng.below(VISIT_NOTES.len() as u64) as usize];
                (EntryKind::Visit, 45 + 15 * rng.below(6) as i64, n)
            };
            let elder = if elders.is_empty() {
                String::new()
            } else {
                elders[rng.below(elders.len() as u64) as usize].clone()
            };
            // Staff confirm within two days; the last fortnight's are still waiting.
            let confirmed = at + 2 * DAY < to - 14 * DAY || rng.below(5) == 0;
            plan.push((
                at,
                EntryDraft {
                    kind,
                    at,
                    minutes,
                    elder,
                    request: String::new(),
                    note: note.into(),
                },
                confirmed,
            ));
        }
        let profile = ProfileDraft {
            name: h.name.clone(),
            age_group: h.age_group,
            organisation: h.organisation.clone(),
            skills: h.skills.into(),
            availability: h.availability.into(),
        };
        let outs = ctx.relay.local_change(ctx.store, doc, |d| {
            create(d, &h.person, &h.person, &profile, from)?;
            for (at, draft, confirmed) in &plan {
                let entry = log(d, &h.person, draft)?;
                if *confirmed {
                    let when = (*at + DAY + MINUTE * 37).min(to - MINUTE);
                    confirm(d, &entry, staff.0, staff.1, when.max(*at))?;
                }
            }
            Ok(())
        })?;
        ctx.emit(outs);
        written.push(doc);
    }
    Ok(written)
}
