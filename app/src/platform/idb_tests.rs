//! Rust tests in a real browser (headless Chromium through ChromeDriver): IndexedDB and the
//! sync core together, as the app uses them. Run by `scripts/test` with the app's unit tests,
//! in the same test build (an integration test would compile the whole app a second time).

use crate::platform::idb;
use linli_shared::automerge::ActorId;
use linli_shared::client::{Client, Effect, Input};
use linli_shared::domain::requests::RequestSummary;
use linli_shared::domain::requests::{Colour, Filing, Request, RequestDraft};
use linli_shared::ids::DocumentId;
use wasm_bindgen_test::*;

fn draft(title: &str) -> RequestDraft {
    RequestDraft {
        title: title.into(),
        description: "楼道里堆满纸箱".into(),
        category: "clutter".into(),
        colour: Some(Colour::Yellow),
        grid: "g07".into(),
        photos: Vec::new(),
    }
}

fn filing() -> Filing {
    Filing {
        filed_by: "p-wang".into(),
        subject: "p-wang".into(),
        household: "h-7-2-301".into(),
    }
}

#[wasm_bindgen_test]
async fn a_document_saved_in_indexeddb_loads_back_after_a_restart_with_its_sync_state() {
    let db = idb::open().await.unwrap();
    idb::wipe(&db).await.unwrap();
    let id = DocumentId::from_bytes([3; 16]);
    let mut device = Client::new("p1".into(), "store-1".into(), ActorId::from(vec![1; 16]));
    let fx = device
        .change(id, |d| {
            linli_shared::domain::requests::file_request(
                d,
                &draft("二楼楼道堆物"),
                &filing(),
                1_000,
            )
        })
        .unwrap();
    // Perform the save effect as the app runtime does.
    for e in fx {
        if let Effect::Save {
            id,
            doc,
            relay,
            heads,
        } = e
        {
            let summary = linli_shared::domain::Summary::of(device.doc(&id).unwrap());
            idb::save(
                &db,
                &id.to_string(),
                doc.map(|d| {
                    (
                        d,
                        serde_json::to_string(&summary).unwrap(),
                        idb::Shelf::Index,
                    )
                }),
                relay.or(Some(("relay-x".into(), vec![0x43, 0]))),
            )
            .await
            .unwrap();
            let _ = device.handle(0, Input::Saved { id, heads });
        }
    }
    // A new session (the tab was closed): everything comes back from IndexedDB.
    let stored = idb::load_all(&db).await.unwrap();
    assert_eq!(stored.len(), 1);
    let (key, bytes, relay) = stored.into_iter().next().unwrap();
    assert_eq!(key, id.to_string());
    assert_eq!(relay.map(|r| r.0), Some("relay-x".to_string()));
    let mut again = Client::new("p2".into(), "store-1".into(), ActorId::from(vec![1; 16]));
    let _ = again.handle(
        0,
        Input::Loaded {
            id,
            bytes,
            relay: None,
        },
    );
    let req = Request::read(again.doc(&id).unwrap()).unwrap();
    assert_eq!(req.title, "二楼楼道堆物");
    // The read model came back too, without loading the document.
    let index = idb::load_index(&db, idb::Shelf::Index).await.unwrap();
    assert_eq!(index.len(), 1);
    match serde_json::from_str::<linli_shared::domain::Summary>(&index[0].1).unwrap() {
        linli_shared::domain::Summary::Request(RequestSummary { request }) => {
            assert_eq!(request, req)
        }
        other => panic!("a request summary: {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn deleting_a_document_removes_it_and_its_sync_state_together() {
    let db = idb::open().await.unwrap();
    idb::wipe(&db).await.unwrap();
    idb::save(
        &db,
        "doc-a",
        Some((vec![1, 2, 3], "{}".into(), idb::Shelf::Index)),
        Some(("r".into(), vec![9])),
    )
    .await
    .unwrap();
    idb::save(
        &db,
        "doc-b",
        Some((vec![4], "{}".into(), idb::Shelf::Archive)),
        None,
    )
    .await
    .unwrap();
    idb::delete(&db, "doc-a").await.unwrap();
    let left = idb::load_all(&db).await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].0, "doc-b");
    assert!(left[0].2.is_none());
    assert!(
        idb::load_index(&db, idb::Shelf::Index)
            .await
            .unwrap()
            .is_empty()
    );
    let archive = idb::load_index(&db, idb::Shelf::Archive).await.unwrap();
    assert_eq!(archive, vec![("doc-b".to_string(), "{}".to_string())]);
}

#[wasm_bindgen_test]
async fn one_group_commit_writes_every_queued_save_and_a_document_moves_between_shelves() {
    let db = idb::open().await.unwrap();
    idb::wipe(&db).await.unwrap();
    let saves: Vec<idb::Save> = (0..50)
        .map(|i| idb::Save {
            id: format!("doc-{i:02}"),
            doc: Some((vec![i], format!("{{\"n\":{i}}}"), idb::Shelf::Index)),
            relay: Some(("r".into(), vec![i, i])),
        })
        .chain(std::iter::once(idb::Save {
            // The same document again, later in the batch: it ends on the archive shelf.
            id: "doc-00".into(),
            doc: Some((vec![99], "{}".into(), idb::Shelf::Archive)),
            relay: None,
        }))
        .collect();
    idb::save_all(&db, &saves.iter().collect::<Vec<_>>())
        .await
        .unwrap();
    let all = idb::load_all(&db).await.unwrap();
    assert_eq!(all.len(), 50);
    let first = all.iter().find(|d| d.0 == "doc-00").unwrap();
    assert_eq!(
        first.1,
        vec![99],
        "the later write of the same document wins"
    );
    assert!(
        all.iter().all(|d| d.2.is_some()),
        "every sync state written"
    );
    assert_eq!(
        idb::load_index(&db, idb::Shelf::Index).await.unwrap().len(),
        49
    );
    assert_eq!(
        idb::load_index(&db, idb::Shelf::Archive).await.unwrap(),
        vec![("doc-00".to_string(), "{}".to_string())]
    );
}

#[wasm_bindgen_test]
async fn an_interrupted_write_leaves_the_old_document_in_place() {
    // A transaction that is dropped before commit (as when a tab is killed mid-write) is
    // rolled back by IndexedDB: the previous version stays whole.
    use indexed_db_futures::prelude::*;
    use indexed_db_futures::transaction::TransactionMode;
    let db = idb::open().await.unwrap();
    idb::wipe(&db).await.unwrap();
    idb::save(
        &db,
        "doc",
        Some((vec![1, 1, 1], "{}".into(), idb::Shelf::Index)),
        Some(("r".into(), vec![7])),
    )
    .await
    .unwrap();
    {
        let tx = db
            .transaction(["docs", "sync"])
            .with_mode(TransactionMode::Readwrite)
            .build()
            .unwrap();
        let store = tx.object_store("docs").unwrap();
        store
            .put(indexed_db_futures::typed_array::Uint8Array::from(vec![
                2, 2,
            ]))
            .with_key("doc".to_string())
            .primitive()
            .unwrap()
            .await
            .unwrap();
        // Dropped without commit: aborted.
    }
    let left = idb::load_all(&db).await.unwrap();
    assert_eq!(left[0].1, vec![1, 1, 1]);
    assert_eq!(left[0].2.as_ref().map(|r| r.1.clone()), Some(vec![7]));
}

#[wasm_bindgen_test]
async fn drafts_are_kept_in_indexeddb_replaced_deleted_and_wiped_with_the_device() {
    let db = idb::open().await.unwrap();
    idb::wipe(&db).await.unwrap();
    idb::write_drafts(
        &db,
        &[
            ("request".into(), Some("{\"title\":\"楼道灯坏了\"}".into())),
            ("detail.abc".into(), Some("三楼".into())),
        ],
    )
    .await
    .unwrap();
    idb::write_drafts(
        &db,
        &[
            ("detail.abc".into(), Some("三楼和四楼".into())),
            ("request".into(), None),
        ],
    )
    .await
    .unwrap();
    assert_eq!(
        idb::read_drafts(&db).await.unwrap(),
        vec![("detail.abc".to_string(), "三楼和四楼".to_string())]
    );
    idb::wipe(&db).await.unwrap();
    assert!(idb::read_drafts(&db).await.unwrap().is_empty());
}

#[wasm_bindgen_test]
async fn a_group_commit_applies_saves_and_deletes_in_queue_order() {
    let db = idb::open().await.unwrap();
    idb::wipe(&db).await.unwrap();
    let save = |id: &str, byte: u8| idb::Save {
        id: id.into(),
        doc: Some((vec![byte], "{}".into(), idb::Shelf::Index)),
        relay: Some(("r".into(), vec![byte])),
    };
    let (a1, a2, b1) = (save("doc-a", 1), save("doc-a", 2), save("doc-b", 1));
    // doc-a is forgotten and received again (a rewritten history); doc-b is forgotten.
    idb::write_all(
        &db,
        &[
            idb::Write::Save(&a1),
            idb::Write::Save(&b1),
            idb::Write::Delete("doc-a"),
            idb::Write::Save(&a2),
            idb::Write::Delete("doc-b"),
        ],
    )
    .await
    .unwrap();
    let all = idb::load_all(&db).await.unwrap();
    assert_eq!(all.len(), 1, "only doc-a is left");
    assert_eq!((all[0].0.as_str(), all[0].1.clone()), ("doc-a", vec![2]));
    let index = idb::load_index(&db, idb::Shelf::Index).await.unwrap();
    assert_eq!(index, vec![("doc-a".to_string(), "{}".to_string())]);
}
