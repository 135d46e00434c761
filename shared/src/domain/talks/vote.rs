//! Owners' votes 业主表决 and the thresholds of the Civil Code, art. 278 (民法典第二百七十八条):
//!
//! - participation: owners whose exclusive parts make up **at least two thirds** of the floor
//!   area **and** who are **at least two thirds** of the owners (三分之二以上, inclusive);
//! - approval of raising the maintenance fund, rebuilding, or changing the use of shared parts
//!   or using them for business (renting them out): **at least three quarters** of the
//!   participating area **and** of the participating owners (四分之三以上, inclusive);
//! - approval of everything else (using the maintenance fund included): **more than half** of
//!   the participating area **and** of the participating owners (过半数, strict).
//!
//! A ballot is keyed by its flat, so one flat counts once however many phones or paper
//! lists entered it: in an automerge map concurrent entries for the same key resolve to one.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What the owners decide, which sets the approval threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Matter {
    /// Using the building maintenance fund (第五项): simple majority.
    UseFund,
    /// Raising the maintenance fund (第六项).
    RaiseFund,
    /// Rebuilding or reconstructing buildings (第七项).
    Rebuild,
    /// Changing the use of shared parts, or using them for business such as renting them out
    /// (第八项).
    ChangeSharedParts,
    /// Any other matter for the owners together: simple majority.
    Other,
}

impl Matter {
    /// The matters that need three quarters.
    pub fn special(self) -> bool {
        matches!(
            self,
            Matter::RaiseFund | Matter::Rebuild | Matter::ChangeSharedParts
        )
    }
}

/// One flat's ballot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Choice {
    Yes,
    No,
    Abstain,
}

/// The electorate: every owner and the whole exclusive floor area (in hundredths of m²).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Electorate {
    pub area: i64,
    pub owners: i64,
}

/// A vote's result with both ratios, as published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub participating_area: i64,
    pub participating_owners: i64,
    pub yes_area: i64,
    pub yes_owners: i64,
    /// Participation reached two thirds of the area and of the owners.
    pub quorum: bool,
    /// Approved: quorum, and the approval threshold on both ratios.
    pub passed: bool,
}

/// Decides a vote from its ballots (flat → (area in hundredths of m², choice)): every flat
/// that cast a ballot participates (an abstention too), approval counts the yes votes.
pub fn decide(
    matter: Matter,
    electorate: Electorate,
    ballots: &BTreeMap<String, (i64, Choice)>,
) -> Outcome {
    let participating_area: i64 = ballots.values().map(|(a, _)| (*a).max(0)).sum();
    let participating_owners = ballots.len() as i64;
    let yes = || ballots.values().filter(|(_, c)| *c == Choice::Yes);
    let yes_area: i64 = yes().map(|(a, _)| (*a).max(0)).sum();
    let yes_owners = yes().count() as i64;
    let quorum = electorate.area > 0
        && electorate.owners > 0
        && 3 * i128::from(participating_area) >= 2 * i128::from(electorate.area)
        && 3 * i128::from(participating_owners) >= 2 * i128::from(electorate.owners);
    let approves = |yes: i64, of: i64| {
        let (yes, of) = (i128::from(yes), i128::from(of));
        if matter.special() {
            4 * yes >= 3 * of
        } else {
            2 * yes > of
        }
    };
    let passed = quorum
        && approves(yes_area, participating_area)
        && approves(yes_owners, participating_owners);
    Outcome {
        participating_area,
        participating_owners,
        yes_area,
        yes_owners,
        quorum,
        passed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::transaction::Transactable;
    use automerge::{Automerge, ObjType, ROOT, ReadDoc};

    /// `n` flats of 100 m² each, the first `yes` voting yes, the next `no` no.
    fn ballots(yes: usize, no: usize, abstain: usize) -> BTreeMap<String, (i64, Choice)> {
        let mut b = BTreeMap::new();
        let choices = std::iter::repeat_n(Choice::Yes, yes)
            .chain(std::iter::repeat_n(Choice::No, no))
            .chain(std::iter::repeat_n(Choice::Abstain, abstain));
        for (i, c) in choices.enumerate() {
            b.insert(format!("1-1-{i:03}"), (10_000, c));
        }
        b
    }

    const TWELVE: Electorate = Electorate {
        area: 12 * 10_000,
        owners: 12,
    };

    #[test]
    fn participation_of_exactly_two_thirds_is_enough_and_one_flat_less_is_not() {
        // 8 of 12 flats (and area) = exactly 2/3: quorum (以上 includes the mark).
        let at = decide(Matter::Other, TWELVE, &ballots(8, 0, 0));
        assert!(at.quorum && at.passed);
        let below = decide(Matter::Other, TWELVE, &ballots(7, 0, 0));
        assert!(!below.quorum && !below.passed);
    }

    #[test]
    fn enough_owners_without_enough_area_is_no_quorum() {
        // 8 of 12 owners, but small flats: 8 × 50 m² of 1200 m² is a third of the area.
        let mut b = ballots(8, 0, 0);
        for v in b.values_mut() {
            v.0 = 5_000;
        }
        let o = decide(Matter::Other, TWELVE, &b);
        assert!(!o.quorum && !o.passed);
    }

    #[test]
    fn an_ordinary_matter_needs_more_than_half_so_an_even_split_fails() {
        // 8 participate: 4 yes is exactly half (not 过半数), 5 yes is more.
        assert!(!decide(Matter::UseFund, TWELVE, &ballots(4, 4, 0)).passed);
        assert!(decide(Matter::UseFund, TWELVE, &ballots(5, 3, 0)).passed);
        // Abstentions participate and count against.
        assert!(!decide(Matter::Other, TWELVE, &ballots(4, 0, 4)).passed);
    }

    #[test]
    fn a_special_matter_needs_three_quarters_inclusive() {
        // 8 participate: 6 yes = exactly 3/4 passes, 5 does not.
        assert!(decide(Matter::RaiseFund, TWELVE, &ballots(6, 2, 0)).passed);
        assert!(!decide(Matter::RaiseFund, TWELVE, &ballots(5, 3, 0)).passed);
        assert!(!decide(Matter::ChangeSharedParts, TWELVE, &ballots(5, 3, 0)).passed);
        assert!(decide(Matter::Rebuild, TWELVE, &ballots(6, 2, 0)).passed);
    }

    #[test]
    fn approval_needs_both_ratios_the_area_and_the_owners() {
        // 8 participate: 5 small flats say yes (owners > 1/2), but 3 large ones hold most area.
        let mut b = ballots(5, 3, 0);
        for (i, v) in b.values_mut().enumerate() {
            v.0 = if i < 5 { 5_000 } else { 30_000 };
        }
        let e = Electorate {
            area: 5 * 5_000 + 3 * 30_000 + 4 * 5_000,
            owners: 12,
        };
        let o = decide(Matter::Other, e, &b);
        assert!(o.quorum);
        assert!(o.yes_owners * 2 > o.participating_owners);
        assert!(!o.passed, "{o:?}");
    }

    /// Writes a ballot for a flat into the vote's map, as an owner's phone or a building
    /// leader entering a paper list does.
    fn cast(doc: &mut Automerge, flat: &str, choice: &str) {
        let mut tx = doc.transaction();
        let ballots = match tx.get(ROOT, "ballots").unwrap() {
            Some((_, id)) => id,
            None => tx.put_object(ROOT, "ballots", ObjType::Map).unwrap(),
        };
        let b = tx.put_object(&ballots, flat, ObjType::Map).unwrap();
        tx.put(&b, "choice", choice).unwrap();
        tx.put(&b, "area", 10_000i64).unwrap();
        tx.commit();
    }

    fn read(doc: &Automerge) -> BTreeMap<String, (i64, Choice)> {
        let ballots = crate::docutil::get_obj(doc, &ROOT, "ballots", ObjType::Map).unwrap();
        doc.keys(&ballots)
            .map(|flat| {
                let b = crate::docutil::get_obj(doc, &ballots, &flat, ObjType::Map).unwrap();
                let c = match crate::docutil::get_str(doc, &b, "choice").as_deref() {
                    Some("yes") => Choice::Yes,
                    Some("no") => Choice::No,
                    _ => Choice::Abstain,
                };
                let a = crate::docutil::get_i64(doc, &b, "area").unwrap();
                (flat, (a, c))
            })
            .collect()
    }

    #[test]
    fn ballots_from_two_offline_leaders_and_an_owners_phone_count_a_flat_once() {
        let mut base = Automerge::new();
        {
            let mut tx = base.transaction();
            tx.put_object(ROOT, "ballots", ObjType::Map).unwrap();
            tx.commit();
        }
        let mut leader_a = base.fork();
        let mut leader_b = base.fork();
        let mut owner = base.fork();
        // Flat 1-1-001 is on both leaders' paper lists and voted on the owner's phone.
        cast(&mut leader_a, "1-1-001", "yes");
        cast(&mut leader_a, "1-1-002", "yes");
        cast(&mut leader_b, "1-1-001", "yes");
        cast(&mut leader_b, "1-1-003", "no");
        cast(&mut owner, "1-1-001", "yes");
        let mut merged = base.fork();
        for other in [&mut leader_a, &mut leader_b, &mut owner] {
            merged.merge(other).unwrap();
        }
        // Every replica, in any order, counts the same three flats.
        let mut other_order = owner.fork();
        other_order.merge(&mut leader_b).unwrap();
        other_order.merge(&mut leader_a).unwrap();
        let b = read(&merged);
        assert_eq!(b.len(), 3);
        assert_eq!(b, read(&other_order));
        let o = decide(
            Matter::Other,
            Electorate {
                area: 40_000,
                owners: 4,
            },
            &b,
        );
        assert_eq!((o.participating_owners, o.yes_owners), (3, 2));
        assert!(o.quorum && o.passed);
    }
}
