//! Children's drawings 童眼看社区 for the demo and the scale seeding. The article: with the
//! local primary school and kindergarten the community collected 126 drawings by children of
//! what they would change, and 8 were taken into the micro-renewal plan. Staff registered them
//! from the schools' paper consent forms; most guardians agreed they may be shown, some did
//! not; the adopted ones are linked to the demo's works where one fits. A few carry a photo:
//! a child-like picture drawn here with simple shapes into a small PNG (no image library).

use linli_shared::domain::DocKind;
use linli_shared::domain::drawing::{DrawingCommand, DrawingDraft, Guardian, Status};
use linli_shared::domain::works::Work;
use linli_shared::ids::DocumentId;
use linli_shared::time::{DAY, Millis};

use super::{Rng, SeedError};
use crate::hub::HubCtx;

/// What children proposed: (title, what it proposes, place, a word of the works that fits).
const IDEAS: &[(&str, &str, &str, &str)] = &[
    (
        "会发光的楼道",
        "楼道里装上感应灯，晚上回家不怕黑",
        "7号楼",
        "灯",
    ),
    (
        "彩虹滑梯",
        "在中心花园旁边建一个小小游乐场，有滑梯和秋千",
        "中心花园",
        "",
    ),
    (
        "爷爷奶奶的长椅",
        "在小路边多放几张长椅，让爷爷奶奶走累了能坐下来歇歇",
        "南门小路",
        "座椅",
    ),
    (
        "花开满墙",
        "把灰色的围墙种上爬山虎和月季，变成花墙",
        "北侧围墙",
        "",
    ),
    (
        "小狗乐园",
        "给小狗划一块玩耍的地方，放上捡便便的袋子",
        "东北角空地",
        "",
    ),
    (
        "楼下图书角",
        "在楼下放一个会挡雨的书架，大家可以换书看",
        "3号楼架空层",
        "",
    ),
    (
        "整齐的车棚",
        "把乱停的自行车都放进新车棚，楼道就不挤了",
        "5号楼旁",
        "",
    ),
    (
        "干净的垃圾房",
        "垃圾桶加上盖子和分类图画，小朋友也会分",
        "垃圾投放点",
        "",
    ),
    (
        "不漏水的家",
        "屋顶不再漏水，奶奶家的墙上不再有黑斑",
        "9号楼",
        "漏",
    ),
    (
        "安全的台阶",
        "单元门口的台阶旁边加一条斜坡和扶手",
        "11号楼",
        "坡道",
    ),
    (
        "小小菜园",
        "在空地上开一块菜园，大家一起种番茄",
        "西侧空地",
        "",
    ),
    (
        "会唱歌的亭子",
        "在花园里建一个亭子，下雨天也能在外面玩",
        "中心花园",
        "",
    ),
];

/// Children's first names and nicknames (never a surname).
const NICKNAMES: &[&str] = &[
    "朵朵", "乐乐", "豆豆", "小雨", "子涵", "果果", "天天", "欣怡", "浩浩", "一诺", "安安", "米粒",
    "若曦", "阳阳", "可可", "小宝", "睿睿", "萌萌", "航航", "甜甜",
];

const SCHOOLS: &[&str] = &["嘉禾路小学", "嘉禾幼儿园"];

/// The demo's drawings: 126, 8 adopted.
pub(super) const DEMO_TOTAL: usize = 126;
pub(super) const DEMO_ADOPTED: usize = 8;

/// A guardian of the records: (person, name, household).
pub(super) type Parent = (String, String, String);

/// The works of the demo whose title has `word`, if any.
fn works_with(ctx: &mut HubCtx<'_>, word: &str) -> Vec<DocumentId> {
    if word.is_empty() {
        return Vec::new();
    }
    let ids: Vec<DocumentId> = ctx
        .relay
        .documents()
        .filter(|(_, m)| m.scope.kind == Some(DocKind::Works))
        .map(|(id, _)| *id)
        .collect();
    ids.into_iter()
        .filter(|id| {
            ctx.relay
                .document(ctx.store, id)
                .ok()
                .flatten()
                .and_then(|d| Work::read(&d).ok())
                .is_some_and(|w| w.title.contains(word))
        })
        .collect()
}

/// Writes `total` drawings collected over the weeks before `at`, `adopted` of them adopted,
/// registered by `staff` from paper forms; `wang` (her grandchild's) comes first when given.
/// `photos` of them carry a drawn picture.
#[allow(clippy::too_many_arguments)]
pub(super) fn seed(
    ctx: &mut HubCtx<'_>,
    parents: &[Parent],
    staff: (&str, &str),
    total: usize,
    adopted: usize,
    photos: usize,
    at: Millis,
    link: bool,
    rng: &mut Rng,
    ids: &mut dyn FnMut(&mut Rng) -> DocumentId,
) -> Result<(), SeedError> {
    if parents.is_empty() || total == 0 {
        return Ok(());
    }
    // Each adopted idea gets its works where one fits (the first adopted of an idea).
    let mut fits: Vec<(usize, Vec<DocumentId>)> = Vec::new();
    if link {
        for (i, idea) in IDEAS.iter().enumerate() {
            fits.push((i, works_with(ctx, idea.3)));
        }
    }
    // The adopted ones: spread over the ideas that have works first.
    let mut adopted_at: Vec<usize> = Vec::new();
    let mut i = 0;
    while adopted_at.len() < adopted.min(total) && i < total {
        let idea = i % IDEAS.len();
        let has_works = fits.iter().any(|(k, w)| *k == idea && !w.is_empty());
        if has_works || i >= IDEAS.len() {
            adopted_at.push(i);
        }
        i += 1;
    }
    let collected = at - 40 * DAY;
    for n in 0..total {
        let idea = n % IDEAS.len();
        let (title, proposes, place, _) = IDEAS[idea];
        let parent = if n == 0 {
            &parents[0]
        } else {
            &parents[(n * 7 + rng.below(3) as usize) % parents.len()]
        };
        let kindergarten = n % 5 == 4;
        let age = if kindergarten {
            4 + rng.below(3) as i64
        } else {
            7 + rng.below(6) as i64
        };
        let publish = n % 9 != 3;
        let photo = if n < photos {
            Some(store_png(ctx, &picture(idea, n as u64))?)
        } else {
            None
        };
        let photo_hash = photo.clone();
        let draft = DrawingDraft {
            nickname: NICKNAMES[(n * 3 + idea) % NICKNAMES.len()].into(),
            age: age.to_string(),
            school: if kindergarten {
                format!("{}大班", SCHOOLS[1])
            } else {
                format!("{}{}年级", SCHOOLS[0], age - 6)
            },
            title: title.into(),
            proposes: proposes.into(),
            place: place.into(),
            photos: photo.iter().cloned().collect(),
            consent_keep: true,
            consent_publish: publish,
        };
        let created = collected + (n as i64 * 3 * DAY) / total as i64;
        let status = if let Some(k) = adopted_at.iter().position(|a| *a == n) {
            let _ = k;
            Status::Adopted
        } else if n % 4 == 1 {
            Status::NotAdopted
        } else if n % 4 == 2 {
            Status::Reviewing
        } else {
            Status::Collected
        };
        let works = if status == Status::Adopted {
            fits.iter()
                .find(|(k, _)| *k == idea)
                .and_then(|(_, w)| w.first())
                .map(|w| w.to_string())
                .unwrap_or_default()
        } else {
            String::new()
        };
        let reviewed = created + 20 * DAY;
        let id = ids(rng);
        let guardian = Guardian {
            person: parent.0.clone(),
            name: parent.1.clone(),
            household: parent.2.clone(),
        };
        if let Some(h) = &photo_hash {
            crate::blobs::link(ctx.store, h, &id)?;
        }
        let outs = ctx.relay.local_change(ctx.store, id, |d| {
            DrawingCommand::Create {
                draft: Box::new(draft),
                guardian,
                consent_at: Some(created - DAY),
                by: staff.0.into(),
                by_name: staff.1.into(),
            }
            .apply(d, created)?;
            if status != Status::Collected && reviewed < at {
                DrawingCommand::Review {
                    status,
                    works,
                    note: match status {
                        Status::Adopted => "已纳入微更新计划，谢谢小朋友的好点子！".into(),
                        Status::NotAdopted => "这次没有采纳，点子已记录，以后改造时参考。".into(),
                        _ => String::new(),
                    },
                    shown: true,
                }
                .apply(d, reviewed)?;
            }
            Ok(())
        })?;
        ctx.emit(outs);
    }
    Ok(())
}

/// The demo's 126 drawings, 8 adopted; 王秀英's grandchild's first (with a picture).
pub(super) fn seed_demo(
    ctx: &mut HubCtx<'_>,
    parents: &[Parent],
    staff: (&str, &str),
    now: Millis,
    ids: &mut dyn FnMut() -> DocumentId,
) -> Result<(), SeedError> {
    let mut rng = Rng(0x4452_4157_494E_4753);
    seed(
        ctx,
        parents,
        staff,
        DEMO_TOTAL,
        DEMO_ADOPTED,
        12,
        now,
        true,
        &mut rng,
        &mut |_| ids(),
    )
}

// ---- A child's picture as a small PNG: palette, stored (uncompressed) deflate.

const W: usize = 160;
const H: usize = 120;
/// Sky, grass, a house's walls, roof, window light, sun, flowers' red, trunk/ink.
const PALETTE: [[u8; 3]; 8] = [
    [170, 215, 250],
    [120, 200, 100],
    [245, 225, 180],
    [210, 80, 60],
    [255, 235, 90],
    [255, 200, 40],
    [235, 70, 120],
    [90, 60, 40],
];

/// Fills a rectangle of the picture (clipped to it).
fn rect(px: &mut [u8], x0: usize, y0: usize, x1: usize, y1: usize, c: u8) {
    for y in y0.min(H)..y1.min(H) {
        for x in x0.min(W)..x1.min(W) {
            px[y * W + x] = c;
        }
    }
}

/// A picture: sky, grass, a house with a lit window, a sun, flowers; varied by the idea and n.
fn picture(idea: usize, n: u64) -> Vec<u8> {
    let mut px = vec![0u8; W * H];
    let ground = 80 + (n % 10) as usize;
    for y in 0..H {
        for x in 0..W {
            px[y * W + x] = if y >= ground { 1 } else { 0 };
        }
    }
    // The house.
    let hx = 20 + (idea * 7) % 60;
    rect(&mut px, hx, ground - 40, hx + 50, ground, 2);
    rect(&mut px, hx + 18, ground - 22, hx + 32, ground, 7);
    rect(&mut px, hx + 6, ground - 34, hx + 16, ground - 24, 4);
    rect(&mut px, hx + 34, ground - 34, hx + 44, ground - 24, 4);
    // The roof, a triangle.
    for k in 0..20usize {
        rect(
            &mut px,
            hx - 4 + k,
            ground - 41 - k,
            hx + 54 - k,
            ground - 40 - k,
            3,
        );
    }
    // The sun.
    let (sx, sy, r) = (135i64, 22i64, 12i64);
    for y in 0..H as i64 {
        for x in 0..W as i64 {
            if (x - sx).pow(2) + (y - sy).pow(2) <= r * r {
                px[y as usize * W + x as usize] = 5;
            }
        }
    }
    // Flowers along the grass.
    for f in 0..(3 + n % 5) as usize {
        let fx = 8 + f * 28 + (n as usize % 7);
        rect(&mut px, fx + 2, ground + 6, fx + 4, ground + 18, 7);
        rect(&mut px, fx, ground + 2, fx + 6, ground + 8, 6);
    }
    png(&px)
}

fn crc32(data: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for b in data {
        c ^= u32::from(*b);
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    !c
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    out.extend_from_slice(&body);
    out.extend_from_slice(&crc32(&body).to_be_bytes());
}

/// An 8-bit palette PNG of `px` (W × H indices into [`PALETTE`]).
fn png(px: &[u8]) -> Vec<u8> {
    let mut raw = Vec::with_capacity((W + 1) * H);
    for row in px.chunks(W) {
        raw.push(0);
        raw.extend_from_slice(row);
    }
    // zlib: stored blocks of at most 65535 bytes, then Adler-32.
    let mut z = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (i, b) in blocks.iter().enumerate() {
        z.push(u8::from(i + 1 == blocks.len()));
        let len = b.len() as u16;
        z.extend_from_slice(&len.to_le_bytes());
        z.extend_from_slice(&(!len).to_le_bytes());
        z.extend_from_slice(b);
    }
    let (mut a, mut s) = (1u32, 0u32);
    for b in &raw {
        a = (a + u32::from(*b)) % 65_521;
        s = (s + a) % 65_521;
    }
    z.extend_from_slice(&((s << 16) | a).to_be_bytes());
    let mut out = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&(W as u32).to_be_bytes());
    ihdr.extend_from_slice(&(H as u32).to_be_bytes());
    ihdr.extend_from_slice(&[8, 3, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"PLTE", &PALETTE.concat());
    chunk(&mut out, b"IDAT", &z);
    chunk(&mut out, b"IEND", &[]);
    out
}

/// Stores a picture as the relay stores uploads; returns its content hash.
fn store_png(ctx: &mut HubCtx<'_>, bytes: &[u8]) -> Result<String, SeedError> {
    use sha2::{Digest, Sha256};
    let hash = linli_shared::ids::hex(&Sha256::digest(bytes));
    linli_shared::store::Store::put(
        ctx.store,
        &linli_shared::store::key(&["blob", &hash]),
        bytes,
    )?;
    Ok(hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drawn_picture_is_a_valid_png() {
        let p = picture(3, 5);
        assert_eq!(&p[..8], &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        assert_eq!(&p[12..16], b"IHDR");
        // The CRC of the IHDR chunk checks out.
        let crc = u32::from_be_bytes(p[29..33].try_into().unwrap());
        assert_eq!(crc, crc32(&p[12..29]));
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert!(p.len() < 25_000, "{}", p.len());
    }
}
