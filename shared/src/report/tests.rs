//! The report's draft on hand-made summaries (the indicators' own fixtures).

use super::*;
use crate::domain::Summary;
use crate::domain::requests::Colour;
use crate::domain::talks::{Attendance, Side};
use crate::domain::works::{Category, Status as WorkStatus};
use crate::indicators::tests::{answer, index, person, req, request, t0, talk, work};
use crate::indicators::{Index, Period, Scope};
use crate::policy::Party;
use crate::time::{DAY, HOUR, shanghai_day};

/// Sixty days from `t0`: two halves of thirty.
fn period() -> Period {
    Period::new(t0(), t0() + 60 * DAY)
}

fn merchant_talk(date: &str, merchant: Attendance) -> Summary {
    talk(
        date,
        vec![
            (Side::Party(Party::PartyBranch), Attendance::Present),
            (Side::Party(Party::Merchant), merchant),
        ],
        vec![],
    )
}

/// Two elders (one files herself), four requests answered on time, talks where the
/// merchants came in the first half and stayed away in the second, two works done.
fn community() -> Index {
    let t = t0();
    let docs = [
        person("p-a", "h-p-a", Some(1950), &[]),
        person("p-b", "h-p-b", Some(1948), &[]),
        person("p-c", "h-p-c", Some(1990), &[]),
        req(request(
            t + DAY,
            Colour::Red,
            "p-a",
            vec![answer(t + DAY + HOUR)],
        )),
        req(request(
            t + 2 * DAY,
            Colour::Blue,
            "p-c",
            vec![answer(t + 3 * DAY)],
        )),
        req(request(
            t + 40 * DAY,
            Colour::Yellow,
            "p-c",
            vec![answer(t + 41 * DAY)],
        )),
        req(request(
            t + 45 * DAY,
            Colour::Blue,
            "p-a",
            vec![answer(t + 46 * DAY)],
        )),
        merchant_talk("2026-11-04", Attendance::Present),
        merchant_talk("2026-11-11", Attendance::Present),
        merchant_talk("2026-12-09", Attendance::Absent),
        merchant_talk("2026-12-16", Attendance::Absent),
        work("g07", Category::Leak, WorkStatus::Done, t + 10 * DAY),
        work("g07", Category::Lighting, WorkStatus::Done, t + 50 * DAY),
    ];
    index(Scope::Community, t + 60 * DAY, &docs)
}

fn extra() -> Extra {
    Extra {
        community: "水榭花都".into(),
        field_notes: 38,
        charters: 0,
        trainings: 3,
        drawings: 0,
        drawings_adopted: 0,
    }
}

fn text_of(r: &Report) -> String {
    r.sections
        .iter()
        .flat_map(|s| &s.paras)
        .map(plain)
        .collect::<Vec<_>>()
        .join("\n")
}

fn section<'a>(r: &'a Report, key: &str) -> &'a Section {
    r.sections.iter().find(|s| s.key == key).expect(key)
}

#[test]
fn the_draft_follows_the_articles_structure_with_every_figure_computed_and_linked() {
    let x = community();
    let r = draft(&x, period(), &extra(), true);
    let keys: Vec<&str> = r.sections.iter().map(|s| s.key).collect();
    assert_eq!(
        keys,
        [
            "background",
            "goals",
            "actions",
            "results",
            "problems",
            "reflection",
            "outlook",
            "question"
        ]
    );
    assert_eq!(r.title, "水榭花都社区实践报告");
    let figs = r.figs();
    // Requests received: the indicator's own value over the period, linked to its records.
    let received = figs["i1"];
    assert_eq!(received.text, "4");
    assert_eq!(
        received.link,
        Link::Indicator {
            id: 1,
            from: shanghai_day(t0()),
            to: shanghai_day(t0() + 59 * DAY)
        }
    );
    assert_eq!(received.link.route(), "#/ind/1");
    // Every request answered on time; the halves are their own periods.
    assert_eq!(figs["i2"].text, "100%");
    assert!(
        matches!(figs["i2.h2"].link, Link::Indicator { id: 2, from, .. } if from == shanghai_day(t0() + 30 * DAY))
    );
    // The field notes are counted from the register; no charter: that sentence is left out.
    assert_eq!(figs["notes"].text, "38");
    assert_eq!(figs["notes"].link.route(), "#/field-notes");
    assert!(!figs.contains_key("charters"));
    assert_eq!(figs["trainings"].link.route(), "#/school");
    let text = text_of(&r);
    assert!(!text.contains("社区公约"), "{text}");
    // Works: two done, one leak and one lighting.
    assert_eq!(figs["i30"].text, "2");
    assert_eq!(figs["i30.leak"].text, "1");
    assert!(text.contains("漏水维修 1"), "{text}");
}

#[test]
fn a_figure_without_data_leaves_its_sentence_out_and_is_named_as_missing() {
    let x = community();
    let r = draft(&x, period(), &extra(), true);
    let text = text_of(&r);
    // No events, grants or sorting on this phone: never printed as 0 or 0%.
    assert!(!r.figs().contains_key("i13"));
    assert!(!text.contains("举办活动"), "{text}");
    let actions: String = section(&r, "actions").paras.iter().map(plain).collect();
    assert!(!actions.contains("混投率"), "{actions}");
    let missing = section(&r, "problems")
        .paras
        .iter()
        .find(|p| p.key == "prob.nodata")
        .expect("the missing indicators are named");
    assert!(plain(missing).contains("活动场次"));
    // A phone with nothing says so instead of an empty report.
    let empty = index(Scope::Community, t0(), &[]);
    let r = draft(&empty, period(), &Extra::default(), false);
    assert!(plain(&section(&r, "background").paras[0]).contains("no data"));
    assert!(r.title.starts_with("The community"));
}

#[test]
fn a_party_whose_attendance_fell_is_the_first_problem_and_the_open_question() {
    let x = community();
    let r = draft(&x, period(), &extra(), true);
    let problems = section(&r, "problems");
    let first = &problems.paras[0];
    assert_eq!(first.key, "prob.attendance");
    let figs: Vec<&str> = first.figs().map(|f| f.text.as_str()).collect();
    assert_eq!(figs, ["100%", "0%"]);
    assert!(plain(first).starts_with("商户"));
    let q = plain(&section(&r, "question").paras[0]);
    assert!(q.contains("出席"), "{q}");
    // In English too.
    let en = draft(&x, period(), &extra(), false);
    assert!(plain(&section(&en, "problems").paras[0]).starts_with("Merchants"));
}

#[test]
fn an_edit_keeps_the_persons_words_and_the_figures_stay_computed() {
    let x = community();
    let r = draft(&x, period(), &extra(), true);
    let mut edits = Edits::new();
    edits.insert(
        "res.requests".into(),
        normalise(vec![
            Piece::T("全年".into()),
            Piece::T("共受理 ".into()),
            Piece::F("i1".into()),
            Piece::T(" 件，".into()),
            Piece::F("gone".into()),
        ]),
    );
    assert_eq!(edits["res.requests"].len(), 4, "adjacent words are joined");
    let edited = apply(r, &edits);
    let p = section(&edited, "results")
        .paras
        .iter()
        .find(|p| p.key == "res.requests")
        .unwrap();
    assert!(p.edited);
    assert_eq!(plain(p), "全年共受理 4 件，—");
    // The same edit over newer data shows the newer figure.
    let t = t0();
    let more = index(
        Scope::Community,
        t + 60 * DAY,
        &[
            req(request(t + DAY, Colour::Red, "p-a", vec![])),
            req(request(t + 2 * DAY, Colour::Red, "p-a", vec![])),
        ],
    );
    let again = apply(draft(&more, period(), &extra(), true), &edits);
    let p = section(&again, "results")
        .paras
        .iter()
        .find(|p| p.key == "res.requests")
        .unwrap();
    assert_eq!(plain(p), "全年共受理 2 件，—");
    // Words are cut at the limit.
    let long = normalise(vec![Piece::T("字".repeat(MAX_PARA_CHARS + 10))]);
    assert!(matches!(&long[0], Piece::T(s) if s.chars().count() == MAX_PARA_CHARS));
}

#[test]
fn markdown_and_html_escape_what_people_typed_and_link_each_figure() {
    let x = community();
    let mut e = extra();
    e.community = "<b>花都</b> *1*".into();
    let r = draft(&x, period(), &e, true);
    let md = markdown(&r, "https://linli.example/");
    assert!(md.starts_with("# \\<b\\>花都\\</b\\> \\*1\\*"), "{md}");
    assert!(
        md.contains("[**4**](https://linli.example/#/ind/1)"),
        "{md}"
    );
    assert!(md.contains("\n## 一、背景\n"));
    assert!(markdown(&r, "").contains("**4**"));
    let page = html(&r, "zh-CN", "https://linli.example/");
    assert!(page.contains("<html lang=\"zh-CN\">"));
    assert!(page.contains("&lt;b&gt;花都&lt;/b&gt;"));
    assert!(!page.contains("<b>花都"));
    assert!(page.contains("href=\"https://linli.example/#/ind/1\"><strong>4</strong>"));
    assert!(page.contains("@media print"));
}

#[test]
fn the_results_count_the_childrens_drawings_and_those_adopted_only_when_there_are_some() {
    let x = community();
    let none = draft(&x, period(), &extra(), true);
    assert!(!text_of(&none).contains("孩子们画了"));
    let e = Extra {
        drawings: 126,
        drawings_adopted: 8,
        ..extra()
    };
    let r = draft(&x, period(), &e, true);
    assert!(
        text_of(&r).contains("孩子们画了 126 幅改造建议图，其中 8 处被采纳。"),
        "{}",
        text_of(&r)
    );
    let figs = r.figs();
    assert_eq!(figs["drawings"].link.route(), "#/drawings");
    assert_eq!(figs["drawings.adopted"].text, "8");
    let en = draft(&x, period(), &e, false);
    assert!(
        text_of(&en)
            .contains("Children drew 126 drawings of what they would change; 8 were adopted.")
    );
}
