//! The indicators of the demo community, computed from the documents the relay seeded as a
//! staff phone computes them (`linli_shared::indicators`): the article's year.

use linli_shared::indicators::{Builder, Period, Scope, Value};

use super::common::TestRelay;

#[tokio::test]
async fn the_demo_community_computes_the_articles_year() {
    let relay = TestRelay::start().await;
    let (now, summaries) = relay.on_hub(|ctx| (ctx.now, ctx.summaries())).await;
    let mut b = Builder::new(Scope::Community, now);
    for (id, s) in &summaries {
        b.add(id, s);
    }
    let x = b.finish();
    let year = Period::last_days(now, 365);
    for f in x.all(year) {
        eprintln!("{:>2} {:<28} {}", f.id, f.def().en, f.value.text(false));
    }
    eprintln!("activity {:?}", x.activity(Period::last_days(now, 30)));
    assert_eq!(
        x.value(1, year),
        Value::Count { n: 412 },
        "requests received"
    );
    let on_time = x.value(2, year).number().unwrap();
    assert!((92.5..93.5).contains(&on_time), "on time {on_time}");
    assert_eq!(x.value(13, year), Value::Count { n: 16 }, "events held");
    assert_eq!(
        x.value(22, year),
        Value::Count { n: 17 },
        "proposals funded"
    );
    // On a staff phone every figure of the year has data.
    for f in x.all(year) {
        assert!(f.value.has_data(), "indicator {} has no data", f.id);
    }
}
