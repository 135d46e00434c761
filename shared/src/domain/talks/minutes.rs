//! A draft of the minutes, generated from the record (attendance, items, positions,
//! decisions, cost splits, action items); staff and representatives then edit it together.

use super::split::{Payer, percent, yuan};
use super::{Attendance, Side, Stance, Talk};

/// A side's name in one language.
pub fn side_name(side: Side, zh: bool) -> &'static str {
    use crate::policy::Party::*;
    match (side, zh) {
        (Side::ResidentsCommittee, true) => "居委会",
        (Side::ResidentsCommittee, false) => "Residents' committee",
        (Side::Party(PartyBranch), true) => "党支部",
        (Side::Party(PartyBranch), false) => "Party branch",
        (Side::Party(OwnersCommittee), true) => "业委会",
        (Side::Party(OwnersCommittee), false) => "Owners' committee",
        (Side::Party(PropertyCompany), true) => "物业公司",
        (Side::Party(PropertyCompany), false) => "Property company",
        (Side::Party(Merchant), true) => "商户代表",
        (Side::Party(Merchant), false) => "Merchants",
        (Side::Party(Adviser), true) => "社区顾问",
        (Side::Party(Adviser), false) => "Advisers",
    }
}

/// A payer's name in one language.
pub fn payer_name(payer: Payer, zh: bool) -> &'static str {
    match (payer, zh) {
        (Payer::Side(s), _) => side_name(s, zh),
        (Payer::CommunityFund, true) => "社区基金",
        (Payer::CommunityFund, false) => "Community fund",
        (Payer::Crowdfunding, true) => "居民众筹",
        (Payer::Crowdfunding, false) => "Residents' crowdfunding",
    }
}

pub fn attendance_name(a: Attendance, zh: bool) -> &'static str {
    match (a, zh) {
        (Attendance::Present, true) => "出席",
        (Attendance::Present, false) => "present",
        (Attendance::Deputy, true) => "委派代表",
        (Attendance::Deputy, false) => "sent a deputy",
        (Attendance::Absent, true) => "缺席",
        (Attendance::Absent, false) => "absent",
    }
}

pub fn stance_name(s: Stance, zh: bool) -> &'static str {
    match (s, zh) {
        (Stance::Position, true) => "意见",
        (Stance::Position, false) => "position",
        (Stance::Objection, true) => "异议",
        (Stance::Objection, false) => "objection",
        (Stance::Revision, true) => "修改方案",
        (Stance::Revision, false) => "revised proposal",
    }
}

/// The minutes drafted from the record, as Markdown.
pub fn draft_minutes(t: &Talk, zh: bool) -> String {
    let mut s = String::new();
    let l = |a: &'static str, b: &'static str| if zh { a } else { b };
    s.push_str(&format!(
        "# {} {} {}\n\n",
        l("四方会谈", "Four-party talk"),
        t.date,
        t.time
    ));
    s.push_str(&format!("{}: {}\n\n", l("地点", "Place"), t.place));
    s.push_str(&format!("## {}\n\n", l("出席", "Attendance")));
    for (side, a) in &t.attendance {
        s.push_str(&format!(
            "- {}: {}\n",
            side_name(*side, zh),
            attendance_name(*a, zh)
        ));
    }
    for (n, item) in t.items.iter().enumerate() {
        s.push_str(&format!("\n## {}. {}\n\n", n + 1, item.title));
        for p in &item.positions {
            s.push_str(&format!(
                "- {} {} · {} · {}: {}\n",
                l("第", "Round"),
                p.round,
                side_name(p.side, zh),
                stance_name(p.stance, zh),
                p.text
            ));
        }
        if let Some(d) = &item.decision {
            s.push_str(&format!("\n**{}**: {}\n", l("决定", "Decision"), d.text));
            if !d.agreed.is_empty() {
                let names: Vec<&str> = d.agreed.iter().map(|x| side_name(*x, zh)).collect();
                s.push_str(&format!(
                    "{}: {}\n",
                    l("同意", "Agreed"),
                    names.join(l("、", ", "))
                ));
            }
            if !d.split.is_empty() {
                s.push_str(&format!(
                    "{} ¥{}: ",
                    l("费用分摊", "Cost split of"),
                    yuan(d.total_fen)
                ));
                let parts: Vec<String> = d
                    .split
                    .iter()
                    .map(|x| {
                        format!(
                            "{} {}% (¥{})",
                            payer_name(x.payer, zh),
                            percent(x.bp),
                            yuan(x.fen)
                        )
                    })
                    .collect();
                s.push_str(&parts.join(l("；", "; ")));
                s.push('\n');
            }
            for a in &d.actions {
                s.push_str(&format!(
                    "- [{}] {} ({} {}, {} {})\n",
                    if a.done { "x" } else { " " },
                    a.text,
                    l("负责", "owner"),
                    a.owner_name,
                    l("期限", "due"),
                    a.due
                ));
            }
        }
    }
    s
}
