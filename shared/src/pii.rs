//! A guard against personal data in text others will see: mainland mobile numbers, resident
//! ID card numbers (with their checksum), bank card numbers (with theirs) and licence plates.
//!
//! The app runs [`find`] as a person types a public field (a request's title goes on the grid's
//! board), and the relay refuses such numbers in the fields each kind declares public
//! ([`crate::domain::DocType::PUBLIC_TEXT_FIELDS`]). Ordinary numbers (dates, times, money,
//! building and flat numbers, counts) are never flagged: every pattern needs its exact length
//! and shape, ID and bank cards their check digit, and digits that run on into other digits or
//! Latin letters are not a number on their own.

/// What a piece of text looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PiiKind {
    /// A mainland mobile number (11 digits from 13–19, optionally +86, grouped 3-4-4).
    Mobile,
    /// A resident ID card number (18 characters with a valid check digit and birth date).
    IdCard,
    /// A bank card number (16–19 digits passing the Luhn check).
    BankCard,
    /// A licence plate (沪A12345, 粤B·D12345).
    Plate,
}

impl PiiKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PiiKind::Mobile => "mobile",
            PiiKind::IdCard => "id_card",
            PiiKind::BankCard => "bank_card",
            PiiKind::Plate => "plate",
        }
    }
}

/// One match: its kind and where it lies (byte offsets into the text, on char boundaries).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finding {
    pub kind: PiiKind,
    pub start: usize,
    pub end: usize,
}

/// Every piece of personal data in `text`, in order, not overlapping.
pub fn find(text: &str) -> Vec<Finding> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if let Some((kind, len)) = plate_at(&chars, i) {
            out.push(Finding {
                kind,
                start: chars[i].0,
                end: end_of(i + len),
            });
            i += len;
            continue;
        }
        if digit(chars[i].1).is_some() && !glued_before(&chars, i) {
            let run = number_run(&chars, i);
            let found = numbers_in(&run);
            for (kind, from, to) in &found {
                out.push(Finding {
                    kind: *kind,
                    start: chars[run.groups[*from].0].0,
                    end: end_of(run.groups[*to].1),
                });
            }
            i = run.end.max(i + 1);
            continue;
        }
        i += 1;
    }
    out
}

/// Whether `text` holds any personal data.
pub fn contains(text: &str) -> bool {
    !find(text).is_empty()
}

/// The text with each finding masked for display where it cannot be refused (older records):
/// digits but the first three and last two become `*`; a plate keeps its province.
pub fn mask(text: &str) -> String {
    let found = find(text);
    if found.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for f in found {
        out.push_str(&text[at..f.start]);
        let part: Vec<char> = text[f.start..f.end].chars().collect();
        let (keep_head, keep_tail) = match f.kind {
            PiiKind::Plate => (1, 0),
            _ => (3, 2),
        };
        for (n, c) in part.iter().enumerate() {
            let keep = n < keep_head || n + keep_tail >= part.len();
            out.push(if keep || !c.is_alphanumeric() {
                *c
            } else {
                '*'
            });
        }
        at = f.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Splits `text` into what may stay public and the pieces taken out of it (to move to a
/// private field), tidying the spaces left behind.
pub fn take_out(text: &str) -> (String, Vec<String>) {
    let mut kept = text.to_string();
    let mut taken = Vec::new();
    // Taking one out can bring two pieces together into another: repeat until none is left
    // (each round removes at least one character, so this ends).
    loop {
        let found = find(&kept);
        if found.is_empty() {
            return (kept, taken);
        }
        let mut rest = String::with_capacity(kept.len());
        let mut at = 0;
        for f in found {
            rest.push_str(&kept[at..f.start]);
            taken.push(kept[f.start..f.end].to_string());
            at = f.end;
        }
        rest.push_str(&kept[at..]);
        kept = rest.split_whitespace().collect::<Vec<_>>().join(" ");
    }
}

/// A digit's value: ASCII or full-width.
fn digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

fn latin(c: char) -> bool {
    c.is_ascii_alphabetic() || ('Ａ'..='Ｚ').contains(&c) || ('ａ'..='ｚ').contains(&c)
}

/// Digits glued to a Latin letter or a decimal point before them belong to something else
/// (a model number, `v2.138…`).
fn glued_before(chars: &[(usize, char)], i: usize) -> bool {
    i > 0 && {
        let c = chars[i - 1].1;
        digit(c).is_some() || latin(c) || c == '.' || c == '_' || (c == '+' && !plus_86(chars, i))
    }
}

fn plus_86(chars: &[(usize, char)], i: usize) -> bool {
    let d = |k: usize| chars.get(k).and_then(|&(_, c)| digit(c));
    d(i) == Some(8) && d(i + 1) == Some(6)
}

/// A run of digit groups separated by single spaces or hyphens: `138 1234 5678`,
/// `2026-12-01`. `groups` are char ranges of the groups; `end` the char index after the run.
struct Run {
    groups: Vec<(usize, usize)>,
    /// The digits of each group (`X` kept as 10 for an ID card's last character).
    digits: Vec<Vec<u32>>,
    /// Whether the run is glued to a Latin letter or a digit after it (then its last group
    /// is not a number on its own).
    glued_after: bool,
    end: usize,
}

fn number_run(chars: &[(usize, char)], start: usize) -> Run {
    let mut groups = Vec::new();
    let mut digits = Vec::new();
    let mut i = start;
    loop {
        let from = i;
        let mut ds = Vec::new();
        while let Some(d) = chars.get(i).and_then(|&(_, c)| digit(c)) {
            ds.push(d);
            i += 1;
        }
        // An ID card may end in X.
        if ds.len() == 17
            && chars
                .get(i)
                .is_some_and(|&(_, c)| matches!(c, 'X' | 'x' | 'Ｘ'))
        {
            ds.push(10);
            i += 1;
        }
        groups.push((from, i));
        digits.push(ds);
        let sep = chars
            .get(i)
            .is_some_and(|&(_, c)| matches!(c, ' ' | '-' | '\u{3000}' | '－'));
        let next_digit = chars.get(i + 1).and_then(|&(_, c)| digit(c)).is_some();
        if sep && next_digit {
            i += 1;
        } else {
            break;
        }
    }
    let glued_after = chars.get(i).is_some_and(|&(_, c)| {
        latin(c) || c == '.' && chars.get(i + 1).and_then(|&(_, c)| digit(c)).is_some()
    });
    Run {
        groups,
        digits,
        glued_after,
        end: i,
    }
}

/// The numbers in a run: windows of whole groups, longest first, that are exactly one kind.
fn numbers_in(run: &Run) -> Vec<(PiiKind, usize, usize)> {
    let n = run.groups.len();
    let mut out = Vec::new();
    let mut from = 0;
    while from < n {
        let mut hit = None;
        for to in (from..n.min(from + 6)).rev() {
            if to == n - 1 && run.glued_after {
                continue;
            }
            let sizes: Vec<usize> = run.digits[from..=to].iter().map(Vec::len).collect();
            let all: Vec<u32> = run.digits[from..=to].iter().flatten().copied().collect();
            if let Some(kind) = classify(&all, &sizes) {
                hit = Some((kind, to));
                break;
            }
        }
        match hit {
            Some((kind, to)) => {
                out.push((kind, from, to));
                from = to + 1;
            }
            None => from += 1,
        }
    }
    out
}

/// What a digit string grouped as `sizes` is, if it is personal data.
fn classify(d: &[u32], sizes: &[usize]) -> Option<PiiKind> {
    let grouped = |pattern: &[usize]| sizes.len() == 1 || sizes == pattern;
    // +86 / 0086 before a mobile number.
    let mobile_at = |d: &[u32]| d.len() == 11 && d[0] == 1 && (3..=9).contains(&d[1]);
    if d.last() != Some(&10) {
        if mobile_at(d) && grouped(&[3, 4, 4]) {
            return Some(PiiKind::Mobile);
        }
        if d.len() == 13 && d[..2] == [8, 6] && mobile_at(&d[2..]) {
            let ok = sizes.len() == 1 || sizes == [2, 11] || sizes == [2, 3, 4, 4];
            if ok {
                return Some(PiiKind::Mobile);
            }
        }
    }
    if d.len() == 18 && id_card(d) && (grouped(&[6, 8, 4]) || sizes == [6, 4, 4, 4]) {
        return Some(PiiKind::IdCard);
    }
    if (16..=19).contains(&d.len())
        && d.last() != Some(&10)
        && matches!(d[0], 3..=6 | 9)
        && luhn(d)
        && (sizes.len() == 1 || sizes[..sizes.len() - 1].iter().all(|&s| s == 4))
    {
        return Some(PiiKind::BankCard);
    }
    None
}

/// GB 11643: weights 2^(17-i) mod 11, check character from the sum mod 11; the birth date at
/// 6..14 must be a real date from 1900 on, and the region must start with 1–8.
fn id_card(d: &[u32]) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: [u32; 11] = [1, 0, 10, 9, 8, 7, 6, 5, 4, 3, 2];
    if d[..17].contains(&10) || !(1..=8).contains(&d[0]) {
        return false;
    }
    let sum: u32 = d[..17].iter().zip(WEIGHTS).map(|(a, w)| a * w).sum();
    if CHECK[(sum % 11) as usize] != d[17] {
        return false;
    }
    let num = |r: std::ops::Range<usize>| d[r].iter().fold(0u32, |n, x| n * 10 + x);
    let (y, m, day) = (num(6..10), num(10..12), num(12..14));
    let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1900..=2100).contains(&y) && (1..=days).contains(&day)
}

fn luhn(d: &[u32]) -> bool {
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| {
            if i % 2 == 1 {
                let y = x * 2;
                if y > 9 { y - 9 } else { y }
            } else {
                x
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Province abbreviations that open a plate.
const PROVINCES: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

/// A plate starting at char `i`: province, a letter, an optional `·` or space, then five
/// (or, for new-energy plates, six) letters and digits with at least three digits, or four and
/// a 学/警/挂 suffix; not glued to more letters or digits. Returns its length in chars.
fn plate_at(chars: &[(usize, char)], i: usize) -> Option<(PiiKind, usize)> {
    let c = |k: usize| chars.get(k).map(|&(_, c)| c);
    if !PROVINCES.contains(c(i)?) {
        return None;
    }
    let letter = c(i + 1)?.to_ascii_uppercase();
    if !letter.is_ascii_uppercase() {
        return None;
    }
    let mut k = i + 2;
    if matches!(c(k), Some('·' | '•' | ' ' | '-' | '・')) {
        k += 1;
    }
    let body_start = k;
    let plate_char = |ch: char| {
        let u = ch.to_ascii_uppercase();
        u.is_ascii_digit() || (u.is_ascii_uppercase() && u != 'I' && u != 'O')
    };
    while c(k).is_some_and(plate_char) {
        k += 1;
    }
    let body: Vec<char> = (body_start..k).filter_map(c).collect();
    let digits = body.iter().filter(|x| x.is_ascii_digit()).count();
    let special = body.len() == 4 && matches!(c(k), Some('学' | '警' | '挂'));
    if special {
        k += 1;
    }
    let ok = (matches!(body.len(), 5 | 6) || special)
        && digits >= 3
        && !c(k).is_some_and(|x| x.is_ascii_alphanumeric());
    ok.then_some((PiiKind::Plate, k - i))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(PiiKind, &str)> {
        find(text)
            .into_iter()
            .map(|f| (f.kind, &text[f.start..f.end]))
            .collect()
    }

    /// Real-looking sentences that carry personal data, and what must be caught in each.
    const CAUGHT: &[(&str, PiiKind, &str)] = &[
        ("电话13812345678，麻烦尽快", PiiKind::Mobile, "13812345678"),
        (
            "有事打我手机 139 1234 5678 谢谢",
            PiiKind::Mobile,
            "139 1234 5678",
        ),
        (
            "联系人王阿姨 186-0213-4567",
            PiiKind::Mobile,
            "186-0213-4567",
        ),
        ("+86 15912345678 张师傅", PiiKind::Mobile, "86 15912345678"),
        ("微信同号19912345678", PiiKind::Mobile, "19912345678"),
        (
            "手机：１３８１２３４５６７８",
            PiiKind::Mobile,
            "１３８１２３４５６７８",
        ),
        (
            "2026-12-01 13812345678 来电反映",
            PiiKind::Mobile,
            "13812345678",
        ),
        (
            "身份证号11010519491231002X补办",
            PiiKind::IdCard,
            "11010519491231002X",
        ),
        (
            "身份证 110105199003071239 丢了",
            PiiKind::IdCard,
            "110105199003071239",
        ),
        (
            "证件号码440308 19900101 5117",
            PiiKind::IdCard,
            "440308 19900101 5117",
        ),
        (
            "退款请打到6222021234567890128",
            PiiKind::BankCard,
            "6222021234567890128",
        ),
        (
            "卡号 6222 0212 3456 7890 128",
            PiiKind::BankCard,
            "6222 0212 3456 7890 128",
        ),
        (
            "信用卡4111111111111111被盗刷",
            PiiKind::BankCard,
            "4111111111111111",
        ),
        ("沪A12345天天占消防通道", PiiKind::Plate, "沪A12345"),
        ("一辆粤B·D12345的新能源车", PiiKind::Plate, "粤B·D12345"),
        ("车牌浙a 8k2j7乱停", PiiKind::Plate, "浙a 8k2j7"),
        (
            "白色轿车苏E·2B3C4停在3号楼门口",
            PiiKind::Plate,
            "苏E·2B3C4",
        ),
        ("教练车京A1234学占了车位", PiiKind::Plate, "京A1234学"),
    ];

    /// Ordinary sentences with numbers that are not personal data.
    const CLEAN: &[&str] = &[
        "3号楼2单元501漏水",
        "3-2-501室楼上漏水，已经三天了",
        "12栋1802的阳台花盆掉下来",
        "2026-12-01 上午10:30 楼道灯不亮",
        "2026年12月1日开会",
        "20261201会议纪要",
        "微创投基金150000元，已用87,500.50元",
        "资金15万，居民众筹10%，物业60%",
        "第18网格共213个微小痛点，答复率90%",
        "楼道美术馆覆盖17个楼道，参与家庭从12户增长到86户",
        "快递单号SF1234567890123丢件",
        "路由器型号TL-WR886N坏了",
        "门禁卡编号 00012345678 失效",
        "订单号20261201123456789001",
        "版本v2.13812345678",
        "电梯在14:00-16:00检修",
        "物业电话021-64123456（座机）",
        "邮编200000，上海市徐汇区",
        "身份证号110105194912310022（校验位不对）",
        "银行卡6222021234567890127（校验位不对）",
        "新A栋3单元",
        "京东快递放在沪太路1234号",
        "粤语班每周三19:30",
        "1234567890123456",
        "8:00-17:00 每天巡查3次，共1095次",
    ];

    #[test]
    fn personal_numbers_in_real_sentences_are_caught() {
        for (text, kind, what) in CAUGHT {
            let found = kinds(text);
            assert!(
                found.iter().any(|(k, w)| k == kind && w == what),
                "{text}: expected {kind:?} `{what}`, found {found:?}"
            );
        }
    }

    #[test]
    fn ordinary_numbers_are_never_flagged() {
        for text in CLEAN {
            assert_eq!(kinds(text), Vec::new(), "{text}");
        }
    }

    #[test]
    fn id_card_check_digit_follows_gb_11643() {
        let d = |s: &str| -> Vec<u32> {
            s.chars()
                .map(|c| c.to_digit(10).unwrap_or(10))
                .collect::<Vec<_>>()
        };
        assert!(id_card(&d("11010519491231002X")));
        assert!(!id_card(&d("110105194912310029")));
        // A real check digit but no such day.
        assert!(!id_card(&d("110105194902300025")));
    }

    #[test]
    fn masking_keeps_the_sentence_and_hides_the_digits() {
        assert_eq!(mask("电话13812345678谢谢"), "电话138******78谢谢");
        assert_eq!(mask("沪A12345占道"), "沪******占道");
        assert_eq!(mask("3号楼501"), "3号楼501");
    }

    #[test]
    fn taking_out_leaves_the_public_words_and_returns_the_numbers() {
        let (kept, taken) = take_out("楼道堆物 电话 13812345678 请联系");
        assert_eq!(kept, "楼道堆物 电话 请联系");
        assert_eq!(taken, vec!["13812345678".to_string()]);
    }

    proptest::proptest! {
        /// Whatever is typed, findings lie in order on char boundaries and never overlap,
        /// masking keeps the text's length in chars, and taking out leaves nothing to find.
        #[test]
        fn findings_are_ordered_slices_of_any_text(
            text in "[0-9０-９ xX+·\\-.a-zA-Z沪粤京新学号楼电话]{0,40}"
        ) {
            let found = find(&text);
            let mut at = 0;
            for f in &found {
                proptest::prop_assert!(f.start >= at && f.end > f.start);
                proptest::prop_assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
                at = f.end;
            }
            proptest::prop_assert_eq!(mask(&text).chars().count(), text.chars().count());
            let (kept, taken) = take_out(&text);
            proptest::prop_assert!(!contains(&kept));
            proptest::prop_assert_eq!(taken.is_empty(), found.is_empty());
        }
    }

    #[test]
    fn a_draft_with_a_phone_number_in_its_title_is_refused_before_it_is_written() {
        let mut d = crate::domain::requests::RequestDraft {
            title: "楼道灯不亮 13812345678".into(),
            description: String::new(),
            category: "facilities".into(),
            colour: None,
            grid: "g07".into(),
            photos: Vec::new(),
        };
        assert_eq!(
            d.problems(),
            vec![crate::domain::InputError::PersonalData {
                what: PiiKind::Mobile
            }]
        );
        d.title = "3号楼楼道灯不亮".into();
        assert_eq!(d.problems(), Vec::new());
    }

    #[test]
    fn a_number_never_panics_on_any_text() {
        for text in [
            "",
            "1",
            "X",
            "沪",
            "沪A",
            "--1-",
            "1 1 1 1 1 1 1 1 1 1 1 1 1",
            "１３８",
            "+",
            "+86",
        ] {
            let _ = find(text);
            let _ = mask(text);
        }
    }
}
