//! Charter and rules against the real relay: every resident holds the community's 9 adopted
//! rules documents, each version naming the talk that adopted it; only staff write them.

use super::common::*;
use super::new_id;
use linli_shared::domain::DocKind;
use linli_shared::domain::charter::{Charter, CharterCommand, VersionDraft};

#[tokio::test]
async fn every_resident_holds_the_adopted_rules_and_only_staff_write_them() {
    let relay = TestRelay::start().await;
    let wang = enrol(&relay, WANG).await;
    let mut w = wang.connect(&relay).await;
    w.settle().await;
    let charters: Vec<Charter> = w
        .core
        .doc_ids()
        .filter_map(|id| w.core.doc(id))
        .filter(|d| linli_shared::domain::doc_kind(d) == Some(DocKind::Charter))
        .filter_map(|d| Charter::read(d).ok())
        .collect();
    assert_eq!(charters.len(), 9);
    assert!(
        charters
            .iter()
            .all(|c| c.current().is_some_and(|v| !v.talk.is_empty()))
    );
    assert!(charters.iter().any(|c| c.versions.len() == 2));
    let code = w
        .change_refused(new_id(), |doc| {
            CharterCommand::Create {
                title: "我的公约".into(),
                version: VersionDraft {
                    text: "第一条".into(),
                    ..Default::default()
                },
                by: "p-wang".into(),
                by_name: String::new(),
            }
            .apply(doc, now_ms())
        })
        .await;
    assert_eq!(code, "not_allowed");
}
