//! Reading a request as the relay (board upkeep) and the app (every card) do, against the
//! document's size: prints microseconds per read for requests with 10, 100 and 500 events.
//!
//!   cargo run --release -p linli-bench --bin docread [-- --tiny]

use std::time::Instant;

use automerge::Automerge;
use linli_bench::{new_request, small_change};
use linli_shared::domain::requests::Request;

fn main() -> anyhow::Result<()> {
    let tiny = std::env::args().any(|a| a == "--tiny");
    let sizes: &[u64] = if tiny { &[10] } else { &[10, 100, 500] };
    for &events in sizes {
        let mut doc = Automerge::new();
        new_request(&mut doc, 1)?;
        for seq in 0..events {
            small_change(&mut doc, seq)?;
        }
        let reps = 2_000 / events.max(1) as u32 + 20;
        let t = Instant::now();
        for _ in 0..reps {
            std::hint::black_box(Request::read(&doc)?);
        }
        let per = t.elapsed().as_secs_f64() * 1e6 / f64::from(reps);
        println!("request with {events:>3} events: {per:>9.1} µs per read");
    }
    Ok(())
}
