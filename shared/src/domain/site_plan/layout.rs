//! The schematic plan drawn when staff have not drawn one: each grid a block of its buildings
//! in rows of [`PER_ROW`], the blocks side by side in rows of [`BLOCKS_PER_ROW`] with a road
//! between them. Not the estate as built, but every building is on it, in its grid, and none
//! overlaps another, so the map is never empty.

use super::{Building, Pt};

/// Buildings side by side in a grid's block.
pub const PER_ROW: usize = 3;
/// Blocks side by side before the next row of blocks.
pub const BLOCKS_PER_ROW: usize = 3;
/// A schematic building: a slab 30 m by 12 m.
pub const WIDTH: i64 = 30;
pub const DEPTH: i64 = 12;
/// Between buildings of a block.
pub const GAP_X: i64 = 10;
pub const GAP_Y: i64 = 16;
/// The road between blocks.
pub const ROAD: i64 = 30;

/// Lays out every building of every grid (`(grid, buildings)`, in the order given).
pub fn schematic(grids: &[(String, Vec<String>)]) -> Vec<Building> {
    let block_w = PER_ROW as i64 * WIDTH + (PER_ROW as i64 - 1) * GAP_X;
    let rows_of = |n: usize| n.div_ceil(PER_ROW).max(1) as i64;
    let block_h = |n: usize| rows_of(n) * DEPTH + (rows_of(n) - 1) * GAP_Y;
    let mut out = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    let mut top = 0;
    for row in grids.chunks(BLOCKS_PER_ROW) {
        let mut tallest = 0;
        for (col, (grid, buildings)) in row.iter().enumerate() {
            let left = col as i64 * (block_w + ROAD);
            // A building two grids both list is drawn once, in the first.
            let mine: Vec<&String> = buildings
                .iter()
                .filter(|b| !b.trim().is_empty() && !seen.contains(&b.as_str()))
                .collect();
            for (i, name) in mine.iter().enumerate() {
                seen.push(name.as_str());
                let x = left + (i % PER_ROW) as i64 * (WIDTH + GAP_X);
                let y = top + (i / PER_ROW) as i64 * (DEPTH + GAP_Y);
                out.push(Building {
                    name: (*name).clone(),
                    grid: grid.clone(),
                    pts: rect((x, y), WIDTH, DEPTH),
                });
            }
            tallest = tallest.max(block_h(mine.len()));
        }
        top += tallest + ROAD;
    }
    out
}

/// A rectangle's corners from its top-left corner.
pub fn rect((x, y): Pt, w: i64, h: i64) -> Vec<Pt> {
    vec![(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
}

/// Whether two buildings' boxes overlap (touching edges do not).
pub fn overlap(a: &Building, b: &Building) -> bool {
    let ((ax0, ay0), (ax1, ay1)) = super::bounds(a.pts.iter());
    let ((bx0, by0), (bx1, by1)) = super::bounds(b.pts.iter());
    ax0 < bx1 && bx0 < ax1 && ay0 < by1 && by0 < ay1
}
