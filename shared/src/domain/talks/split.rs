//! A decision's cost split: who pays what share of the total, in percent (basis points,
//! 10,000 = 100%) and in money (integer fen). One pure function decides whether a split adds
//! up; the decision form calls it before sending and the relay calls it on every write, so
//! a split that does not add up is refused with the same reason in both places.

use serde::{Deserialize, Serialize};

use super::Side;

/// 100% in basis points.
pub const WHOLE: i64 = 10_000;
/// Payers in one split.
pub const PAYERS_MAX: usize = 10;

/// Who pays a share: one of the parties at the table, the community fund, or residents'
/// crowdfunding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Payer {
    Side(Side),
    CommunityFund,
    Crowdfunding,
}

impl Payer {
    pub fn all() -> Vec<Payer> {
        let mut v: Vec<Payer> = Side::ALL.into_iter().map(Payer::Side).collect();
        v.push(Payer::CommunityFund);
        v.push(Payer::Crowdfunding);
        v
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Payer::Side(s) => s.as_str(),
            Payer::CommunityFund => "community_fund",
            Payer::Crowdfunding => "crowdfunding",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Payer::all().into_iter().find(|p| p.as_str() == s)
    }
}

/// One payer's share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    pub payer: Payer,
    /// Percent in basis points (6,000 = 60%).
    pub bp: i64,
    /// Money in fen.
    pub fen: i64,
}

/// Why a split does not add up (the form shows each with its own message).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum SplitError {
    #[error("the total must be more than 0")]
    TotalNotPositive,
    #[error("a split needs at least one payer")]
    NoPayers,
    #[error("at most {PAYERS_MAX} payers")]
    TooManyPayers,
    #[error("{0} appears twice")]
    PayerTwice(Payer),
    #[error("a share cannot be negative or zero")]
    ShareNotPositive,
    #[error("the percentages add up to {bp} basis points, not 10000")]
    PercentNot100 { bp: i64 },
    #[error("the amounts add up to {fen} fen, not the total {total}")]
    AmountNotTotal { fen: i64, total: i64 },
    #[error("{payer}'s amount {fen} fen is not its percentage of the total")]
    AmountNotPercent { payer: Payer, fen: i64 },
}

impl std::fmt::Display for Payer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a split of `total` fen adds up: at least one payer, each once, each share positive,
/// the percentages exactly 100%, the amounts exactly the total, and each amount its
/// percentage of the total (to the fen: rounding moves at most one fen per share).
pub fn check_split(total: i64, shares: &[Share]) -> Result<(), SplitError> {
    if total <= 0 {
        return Err(SplitError::TotalNotPositive);
    }
    if shares.is_empty() {
        return Err(SplitError::NoPayers);
    }
    if shares.len() > PAYERS_MAX {
        return Err(SplitError::TooManyPayers);
    }
    for (i, s) in shares.iter().enumerate() {
        if shares[..i].iter().any(|o| o.payer == s.payer) {
            return Err(SplitError::PayerTwice(s.payer));
        }
        if s.bp <= 0 || s.fen <= 0 {
            return Err(SplitError::ShareNotPositive);
        }
    }
    let bp: i64 = shares.iter().map(|s| s.bp).fold(0, i64::saturating_add);
    if bp != WHOLE {
        return Err(SplitError::PercentNot100 { bp });
    }
    let fen: i64 = shares.iter().map(|s| s.fen).fold(0, i64::saturating_add);
    if fen != total {
        return Err(SplitError::AmountNotTotal { fen, total });
    }
    for s in shares {
        // |fen − total·bp/10000| < 1 fen, in integers.
        let exact = i128::from(total) * i128::from(s.bp);
        if (i128::from(s.fen) * i128::from(WHOLE) - exact).abs() >= i128::from(WHOLE) {
            return Err(SplitError::AmountNotPercent {
                payer: s.payer,
                fen: s.fen,
            });
        }
    }
    Ok(())
}

/// The amounts of `total` fen for percentages `bps` (basis points): each share rounded down,
/// the fen left over given one each to the shares with the largest remainders, so the
/// amounts always add up to the total when the percentages add up to 100%.
pub fn allocate(total: i64, bps: &[i64]) -> Vec<i64> {
    let exact: Vec<i128> = bps
        .iter()
        .map(|bp| i128::from(total) * i128::from(*bp))
        .collect();
    let mut fen: Vec<i64> = exact
        .iter()
        .map(|e| i64::try_from(e / i128::from(WHOLE)).unwrap_or(0))
        .collect();
    let mut left = total - fen.iter().sum::<i64>();
    let mut order: Vec<usize> = (0..bps.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(exact[i] % i128::from(WHOLE)));
    for i in order {
        if left <= 0 {
            break;
        }
        if exact[i] % i128::from(WHOLE) != 0 {
            fen[i] += 1;
            left -= 1;
        }
    }
    fen
}

/// Reads a percentage as typed (`60`, `33.33`, `12.5%`) into basis points.
pub fn parse_percent(s: &str) -> Option<i64> {
    parse_hundredths(s.trim().trim_end_matches(['%', '％']).trim())
}

/// Reads an amount in yuan as typed (`12000`, `12,000.50`, `¥300`) into fen.
pub fn parse_yuan(s: &str) -> Option<i64> {
    let s: String = s
        .trim()
        .trim_start_matches(['¥', '￥'])
        .chars()
        .filter(|c| *c != ',' && *c != '，')
        .collect();
    parse_hundredths(s.trim().trim_end_matches('元').trim())
}

/// A non-negative decimal with at most two places, in hundredths.
pub(crate) fn parse_hundredths(s: &str) -> Option<i64> {
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty() && frac.is_empty() {
        return None;
    }
    if !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
        || frac.len() > 2
        || whole.len() > 12
    {
        return None;
    }
    let w: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let f: i64 = format!("{frac:0<2}").parse().ok()?;
    w.checked_mul(100)?.checked_add(f)
}

/// Fen as yuan for display: `12000.50`, or `12000` when whole.
pub fn yuan(fen: i64) -> String {
    if fen % 100 == 0 {
        format!("{}", fen / 100)
    } else {
        format!("{}.{:02}", fen / 100, (fen % 100).abs())
    }
}

/// Basis points as a percentage for display: `60`, `33.33`.
pub fn percent(bp: i64) -> String {
    yuan(bp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Party;

    fn share(payer: Payer, bp: i64, fen: i64) -> Share {
        Share { payer, bp, fen }
    }

    const PROPERTY: Payer = Payer::Side(Side::Party(Party::PropertyCompany));

    #[test]
    fn the_gym_split_of_60_30_10_adds_up() {
        // ¥48,000 of gym equipment.
        let total = 4_800_000;
        let bps = [6_000, 3_000, 1_000];
        let fen = allocate(total, &bps);
        assert_eq!(fen, vec![2_880_000, 1_440_000, 480_000]);
        let split = [
            share(PROPERTY, 6_000, fen[0]),
            share(Payer::CommunityFund, 3_000, fen[1]),
            share(Payer::Crowdfunding, 1_000, fen[2]),
        ];
        assert_eq!(check_split(total, &split), Ok(()));
    }

    #[test]
    fn a_split_of_60_30_5_is_refused_for_its_percent() {
        let split = [
            share(PROPERTY, 6_000, 2_880_000),
            share(Payer::CommunityFund, 3_000, 1_440_000),
            share(Payer::Crowdfunding, 500, 240_000),
        ];
        assert_eq!(
            check_split(4_800_000, &split),
            Err(SplitError::PercentNot100 { bp: 9_500 })
        );
    }

    #[test]
    fn amounts_that_miss_the_total_by_one_fen_are_refused() {
        let split = [
            share(PROPERTY, 5_000, 50_000),
            share(Payer::CommunityFund, 5_000, 49_999),
        ];
        assert_eq!(
            check_split(100_000, &split),
            Err(SplitError::AmountNotTotal {
                fen: 99_999,
                total: 100_000
            })
        );
    }

    #[test]
    fn an_amount_that_is_not_its_percentage_is_refused_even_when_sums_hold() {
        let split = [
            share(PROPERTY, 5_000, 60_000),
            share(Payer::CommunityFund, 5_000, 40_000),
        ];
        assert!(matches!(
            check_split(100_000, &split),
            Err(SplitError::AmountNotPercent { .. })
        ));
    }

    #[test]
    fn a_payer_twice_a_zero_share_no_payer_and_no_total_are_refused() {
        let half = share(PROPERTY, 5_000, 500);
        assert_eq!(
            check_split(1_000, &[half, half]),
            Err(SplitError::PayerTwice(PROPERTY))
        );
        assert_eq!(
            check_split(
                1_000,
                &[
                    share(PROPERTY, 10_000, 1_000),
                    share(Payer::CommunityFund, 0, 0)
                ]
            ),
            Err(SplitError::ShareNotPositive)
        );
        assert_eq!(check_split(1_000, &[]), Err(SplitError::NoPayers));
        assert_eq!(
            check_split(0, &[share(PROPERTY, 10_000, 0)]),
            Err(SplitError::TotalNotPositive)
        );
    }

    #[test]
    fn thirds_are_allocated_to_the_fen_and_pass() {
        let bps = [3_333, 3_333, 3_334];
        let fen = allocate(100, &bps);
        assert_eq!(fen.iter().sum::<i64>(), 100);
        let payers = [PROPERTY, Payer::CommunityFund, Payer::Crowdfunding];
        let split: Vec<Share> = (0..3).map(|i| share(payers[i], bps[i], fen[i])).collect();
        assert_eq!(check_split(100, &split), Ok(()));
    }

    #[test]
    fn allocation_always_sums_to_the_total() {
        // A deterministic sweep instead of a random one: totals and three-way percentages.
        for total in [1, 7, 99, 100, 101, 12_345, 4_800_000] {
            for a in (0..=10_000).step_by(1_111) {
                let b = (10_000 - a) / 3;
                let c = 10_000 - a - b;
                let fen = allocate(total, &[a, b, c]);
                assert_eq!(fen.iter().sum::<i64>(), total, "{total} {a} {b} {c}");
            }
        }
    }

    #[test]
    fn percentages_and_yuan_are_read_as_typed() {
        assert_eq!(parse_percent("60"), Some(6_000));
        assert_eq!(parse_percent("33.33%"), Some(3_333));
        assert_eq!(parse_percent("12.5"), Some(1_250));
        assert_eq!(parse_percent("1.234"), None);
        assert_eq!(parse_percent("abc"), None);
        assert_eq!(parse_yuan("¥48,000"), Some(4_800_000));
        assert_eq!(parse_yuan("300.5元"), Some(30_050));
        assert_eq!(parse_yuan("-3"), None);
        assert_eq!(parse_yuan(""), None);
        assert_eq!(yuan(30_050), "300.50");
        assert_eq!(yuan(4_800_000), "48000");
    }
}
