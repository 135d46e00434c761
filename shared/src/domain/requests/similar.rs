//! "Has a neighbour reported this already?": open board entries like the title being typed.

use crate::domain::board::{Board, BoardEntry};

fn bigrams(text: &str) -> std::collections::HashSet<(char, char)> {
    let chars: Vec<char> = text
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    let mut out: std::collections::HashSet<(char, char)> =
        chars.windows(2).map(|w| (w[0], w[1])).collect();
    if chars.len() == 1 {
        out.insert((chars[0], ' '));
    }
    out
}

/// How alike two short texts are, 0.0 to 1.0: the Dice coefficient of their character bigrams.
/// Works for Chinese without a word segmenter: "楼道堆放纸箱" and "楼道里堆了纸箱" share
/// 楼道 and 纸箱.
pub fn similarity(a: &str, b: &str) -> f64 {
    let (x, y) = (bigrams(a), bigrams(b));
    if x.is_empty() || y.is_empty() {
        return 0.0;
    }
    let shared = x.intersection(&y).count();
    2.0 * shared as f64 / (x.len() + y.len()) as f64
}

/// Open board entries that look like the same problem as `title` (most alike first).
pub fn similar_open<'a>(
    board: &'a Board,
    title: &str,
    category: &str,
) -> Vec<(&'a BoardEntry, f64)> {
    let mut v: Vec<(&BoardEntry, f64)> = board
        .entries
        .iter()
        .filter(|e| e.status.is_open())
        .map(|e| {
            let mut s = similarity(title, &e.title);
            if !category.is_empty() && e.category == category {
                s += 0.1;
            }
            (e, s)
        })
        .filter(|(_, s)| *s >= 0.45)
        .collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1));
    v.truncate(3);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similar_chinese_titles_score_high_and_unrelated_ones_low() {
        assert!(similarity("3号楼楼道堆放纸箱", "3号楼楼道堆了很多纸箱") > 0.5);
        assert!(similarity("楼道灯不亮", "三单元楼道灯坏了") > 0.3);
        assert!(similarity("楼道灯不亮", "狗叫扰民") < 0.1);
        assert_eq!(similarity("", "x"), 0.0);
    }
}
