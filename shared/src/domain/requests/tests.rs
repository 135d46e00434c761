//! Requests read back as filed, with their history folded in a fixed order.

use super::*;
use crate::domain::community::DeadlineConfig;
use crate::domain::{InputError, Summary};
use crate::time::HOUR;
use automerge::Automerge;

fn draft() -> RequestDraft {
    RequestDraft {
        title: "  3号楼楼道堆物  ".into(),
        description: "纸箱堆在二楼楼梯口".into(),
        category: "clutter".into(),
        colour: Some(Colour::Red),
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

#[test]
fn filed_request_reads_back_trimmed_with_status_filed() {
    let mut doc = Automerge::new();
    file_request(&mut doc, &draft(), &filing(), 1_000).unwrap();
    let r = Request::read(&doc).unwrap();
    assert_eq!(r.title, "3号楼楼道堆物");
    assert_eq!(r.colour, Colour::Red);
    assert_eq!(r.status(), Status::Filed);
    assert_eq!(r.deadline(&DeadlineConfig::default()), 1_000 + 48 * HOUR);
    assert_eq!(Scope::read(&doc).grid.as_deref(), Some("g07"));
}

#[test]
fn empty_and_overlong_titles_are_reported_together_with_a_missing_category() {
    let d = RequestDraft {
        title: "   ".into(),
        category: "".into(),
        ..draft()
    };
    assert_eq!(
        d.problems(),
        vec![InputError::TitleEmpty, InputError::CategoryMissing]
    );
    let long = RequestDraft {
        title: "长".repeat(61),
        ..draft()
    };
    assert_eq!(
        long.problems(),
        vec![InputError::TitleTooLong { len: 61, max: 60 }]
    );
    let mut doc = Automerge::new();
    assert!(file_request(&mut doc, &long, &filing(), 0).is_err());
    assert!(doc.get_heads().is_empty(), "nothing written on bad input");
}

#[test]
fn an_answer_moves_status_to_answered_and_counts_as_first_answer() {
    let mut doc = Automerge::new();
    file_request(&mut doc, &draft(), &filing(), 0).unwrap();
    append_event(
        &mut doc,
        "w",
        10,
        EventKind::Status {
            to: Status::Accepted,
        },
    )
    .unwrap();
    append_event(
        &mut doc,
        "w",
        20,
        EventKind::Answer {
            text: "已安排清理".into(),
            substantive: true,
        },
    )
    .unwrap();
    let r = Request::read(&doc).unwrap();
    assert_eq!(r.status(), Status::Answered);
    assert_eq!(r.first_answer_at(), Some(20));
    assert_eq!(r.last_answer(), Some("已安排清理"));
}

#[test]
fn a_rating_counts_until_the_request_is_reopened_and_resolved_again() {
    let mut doc = Automerge::new();
    file_request(&mut doc, &draft(), &filing(), 0).unwrap();
    let resolve = |doc: &mut Automerge, at| {
        append_event(
            doc,
            "w",
            at,
            EventKind::Status {
                to: Status::Resolved,
            },
        )
        .unwrap();
    };
    let rate = |doc: &mut Automerge, at| {
        append_event(
            doc,
            "p-wang",
            at,
            EventKind::Rate {
                stars: 4,
                comment: String::new(),
            },
        )
        .unwrap();
    };
    resolve(&mut doc, 10);
    assert!(!Request::read(&doc).unwrap().rated_since_resolved());
    rate(&mut doc, 20);
    assert!(Request::read(&doc).unwrap().rated_since_resolved());
    append_event(
        &mut doc,
        "p-wang",
        30,
        EventKind::Reopen {
            reason: "又坏了".into(),
        },
    )
    .unwrap();
    resolve(&mut doc, 40);
    assert!(!Request::read(&doc).unwrap().rated_since_resolved());
    rate(&mut doc, 50);
    assert!(Request::read(&doc).unwrap().rated_since_resolved());
}

#[test]
fn concurrent_detail_and_status_both_survive_a_merge() {
    let mut a = Automerge::new();
    file_request(&mut a, &draft(), &filing(), 0).unwrap();
    let mut b = a.fork();
    append_event(
        &mut a,
        "p-wang",
        5,
        EventKind::Detail {
            text: "晚上更严重".into(),
        },
    )
    .unwrap();
    append_event(
        &mut b,
        "w",
        6,
        EventKind::Status {
            to: Status::InProgress,
        },
    )
    .unwrap();
    a.merge(&mut b).unwrap();
    b.merge(&mut a.clone()).unwrap();
    let (ra, rb) = (Request::read(&a).unwrap(), Request::read(&b).unwrap());
    assert_eq!(ra, rb);
    assert_eq!(ra.events.len(), 2);
    assert_eq!(ra.status(), Status::InProgress);
}

#[test]
fn a_summary_survives_storage_as_json_and_matches_the_document() {
    let mut doc = Automerge::new();
    let draft = RequestDraft {
        title: "楼道灯坏了".into(),
        description: "三楼".into(),
        category: "facilities".into(),
        colour: Some(Colour::Yellow),
        grid: "g07".into(),
        photos: Vec::new(),
    };
    let filing = Filing {
        filed_by: "p-wang".into(),
        subject: "p-wang".into(),
        household: "h1".into(),
    };
    file_request(&mut doc, &draft, &filing, 1_000).unwrap();
    append_event(
        &mut doc,
        "p-li",
        2_000,
        EventKind::Answer {
            text: "明天修".into(),
            substantive: true,
        },
    )
    .unwrap();
    let s = Summary::of(&doc);
    let Summary::Request(RequestSummary { request }) = &s else {
        panic!("a request: {s:?}");
    };
    assert_eq!(request, &Request::read(&doc).unwrap());
    let json = serde_json::to_string(&s).unwrap();
    assert_eq!(serde_json::from_str::<Summary>(&json).unwrap(), s);
    assert_eq!(Summary::of(&Automerge::new()), Summary::Other);
}

#[test]
fn erasure_removes_a_person_their_signatures_and_their_photos_but_keeps_the_request() {
    let mut doc = Automerge::new();
    let mut d = draft();
    d.photos = vec!["h-stair".into()];
    file_request_named(&mut doc, &d, &filing(), "王秀英", 1_000).unwrap();
    append_event_with_photos(
        &mut doc,
        "p-wang",
        "王秀英",
        2_000,
        EventKind::Detail {
            text: "还在晃".into(),
        },
        &["h-detail".into()],
    )
    .unwrap();
    append_event_named(
        &mut doc,
        "p-li",
        "李红",
        3_000,
        EventKind::Answer {
            text: "明天修".into(),
            substantive: true,
        },
    )
    .unwrap();
    let mut removed = anonymise(&mut doc, "p-wang").unwrap();
    removed.sort();
    assert_eq!(removed, vec!["h-detail".to_string(), "h-stair".to_string()]);
    let r = Request::read(&doc).unwrap();
    assert_eq!((r.subject.as_str(), r.filed_by.as_str()), (ERASED, ERASED));
    assert_eq!(r.filed_by_name, "");
    assert!(r.photos.is_empty() && r.events.iter().all(|e| e.photos.is_empty()));
    assert_eq!(
        (r.events[0].by.as_str(), r.events[0].by_name.as_str()),
        (ERASED, "")
    );
    assert_eq!(
        (r.events[1].by.as_str(), r.events[1].by_name.as_str()),
        ("p-li", "李红")
    );
    assert_eq!(r.title, "3号楼楼道堆物", "the request itself stays");
}
