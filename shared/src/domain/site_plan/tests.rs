use automerge::transaction::Transactable;
use automerge::{ActorId, Automerge, ROOT};

use super::geojson::{ImportError, Units, import};
use super::layout::{overlap, rect, schematic};
use super::*;
use crate::policy::Role;
use crate::rules::{Before, Ctx, Refusal, check_changes};
use crate::time::{HOUR, shanghai_midnight};

fn t0() -> Millis {
    shanghai_midnight(2026, 6, 10) + 10 * HOUR
}

fn principal(role: Role, person: &str) -> Principal {
    Principal {
        person: person.into(),
        role,
        household: None,
        grids: Vec::new(),
        consents: Vec::new(),
        home_grid: None,
        name: None,
        team_grids: Vec::new(),
        party: None,
        actor_prefix: Vec::new(),
    }
}

fn check(p: &Principal, before: &Automerge, after: &Automerge) -> Result<(), Refusal> {
    let changes = after.get_changes(&before.get_heads());
    let grids: std::collections::BTreeSet<String> = ["g01".to_string(), "g02".to_string()].into();
    let ctx = Ctx {
        now: Some(t0()),
        grids: Some(&grids),
        ..Ctx::none()
    };
    check_changes(
        p,
        &ctx,
        &Before::for_changes(before, &changes),
        after,
        &changes,
    )
}

fn grids() -> Vec<(String, Vec<String>)> {
    vec![
        (
            "g01".into(),
            (1..=7).map(|i| format!("{i}号楼")).collect::<Vec<_>>(),
        ),
        ("g02".into(), vec!["8号楼".into(), "9号楼".into()]),
        ("g03".into(), Vec::new()),
        ("g04".into(), vec!["10号楼".into(), "3号楼".into()]),
    ]
}

fn saved() -> Automerge {
    let mut d = Automerge::new().with_actor(ActorId::from(vec![1u8; 16]));
    let buildings: Vec<Building> = schematic(&grids()[..2]);
    PlanCommand::Save {
        buildings,
        landmarks: vec![Landmark {
            kind: LandmarkKind::Gate,
            name: "南门".into(),
            pts: vec![(0, 200)],
        }],
        source: Source::Schematic,
        by: "p-zhang".into(),
        by_name: String::new(),
    }
    .apply(&mut d, t0())
    .unwrap();
    d
}

#[test]
fn the_schematic_places_every_building_of_every_grid_once_and_none_overlap() {
    let plan = schematic(&grids());
    let names: Vec<&str> = plan.iter().map(|b| b.name.as_str()).collect();
    for (grid, bs) in grids() {
        for b in bs {
            assert!(names.contains(&b.as_str()), "{b} placed");
            let placed = plan.iter().find(|p| p.name == b).unwrap();
            // A building two grids list is drawn once, in the first grid that lists it.
            if b != "3号楼" {
                assert_eq!(placed.grid, grid);
            }
        }
    }
    assert_eq!(names.len(), 10, "3号楼 once: {names:?}");
    for (i, a) in plan.iter().enumerate() {
        assert_eq!(a.pts.len(), 4);
        for b in &plan[i + 1..] {
            assert!(!overlap(a, b), "{} overlaps {}", a.name, b.name);
        }
    }
    // Grids' blocks stay apart: a road between blocks.
    let g1 = plan.iter().filter(|b| b.grid == "g01");
    let g2: Vec<&Building> = plan.iter().filter(|b| b.grid == "g02").collect();
    let right_of_g1 = g1.flat_map(|b| b.pts.iter()).map(|p| p.0).max().unwrap();
    let left_of_g2 = g2
        .iter()
        .flat_map(|b| b.pts.iter())
        .map(|p| p.0)
        .min()
        .unwrap();
    assert!(left_of_g2 - right_of_g1 >= layout::ROAD);
    assert!(problems(&plan, &[]).is_empty());
}

#[test]
fn overlap_sees_boxes_that_cross_and_not_those_that_touch() {
    let b = |x, y| Building {
        name: "a".into(),
        grid: "g".into(),
        pts: rect((x, y), 10, 10),
    };
    assert!(overlap(&b(0, 0), &b(5, 5)));
    assert!(!overlap(&b(0, 0), &b(10, 0)));
}

/// A square of 100 m by 50 m, its south-west corner at 120.75°E 30.75°N (嘉兴), written as
/// longitude/latitude, and a second one 200 m east.
fn fc_degrees() -> String {
    let lat0: f64 = 30.75;
    let m_per_deg_lat = 6_371_008.8_f64 * std::f64::consts::PI / 180.0;
    let m_per_deg_lon = m_per_deg_lat * lat0.to_radians().cos();
    let at = |east: f64, north: f64| {
        format!(
            "[{},{}]",
            120.75 + east / m_per_deg_lon,
            lat0 + north / m_per_deg_lat
        )
    };
    let square = |e: f64| {
        format!(
            "[[{},{},{},{},{}]]",
            at(e, 0.0),
            at(e + 100.0, 0.0),
            at(e + 100.0, 50.0),
            at(e, 50.0),
            at(e, 0.0)
        )
    };
    format!(
        r#"{{"type":"FeatureCollection","features":[
            {{"type":"Feature","properties":{{"building":"1号楼"}},"geometry":{{"type":"Polygon","coordinates":{}}}}},
            {{"type":"Feature","properties":{{"name":"8号楼"}},"geometry":{{"type":"Polygon","coordinates":{}}}}},
            {{"type":"Feature","properties":{{"landmark":"road","name":"中心路"}},"geometry":{{"type":"LineString","coordinates":[{},{}]}}}},
            {{"type":"Feature","properties":{{"note":"a point of no interest"}},"geometry":{{"type":"Point","coordinates":{}}}}}
        ]}}"#,
        square(0.0),
        square(200.0),
        at(0.0, -10.0),
        at(300.0, -10.0),
        at(0.0, 0.0)
    )
}

#[test]
fn an_import_in_degrees_projects_to_metres_around_the_centre() {
    let got = import(&fc_degrees(), &grids()).unwrap();
    assert_eq!(got.units, Units::Degrees);
    assert_eq!(got.buildings.len(), 2);
    let one = &got.buildings[0];
    assert_eq!((one.name.as_str(), one.grid.as_str()), ("1号楼", "g01"));
    assert_eq!(got.buildings[1].grid, "g02");
    assert_eq!(one.pts.len(), 4, "the closing corner is dropped");
    let ((x0, y0), (x1, y1)) = bounds(one.pts.iter());
    assert!(((x1 - x0) - 100).abs() <= 1, "100 m wide: {}", x1 - x0);
    assert!(((y1 - y0) - 50).abs() <= 1, "50 m deep: {}", y1 - y0);
    // North is up: the first corner (south-west) has the larger y.
    assert_eq!(one.pts[0].1, y1);
    let east = got.buildings[1].pts[0].0 - one.pts[0].0;
    assert!((east - 200).abs() <= 1, "200 m apart: {east}");
    // Centred: the whole spans 300 m east, so x runs about -150..150.
    let ((all_x0, _), (all_x1, _)) = bounds(got.buildings.iter().flat_map(|b| b.pts.iter()));
    assert!((all_x0 + 150).abs() <= 1 && (all_x1 - 150).abs() <= 1);
    assert_eq!(got.landmarks.len(), 1);
    assert_eq!(got.landmarks[0].kind, LandmarkKind::Road);
}

#[test]
fn an_import_in_metres_is_taken_as_metres() {
    let text = r#"{"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"building":"9号楼"},
         "geometry":{"type":"Polygon","coordinates":[[[0,0],[40,0],[40,20],[0,20],[0,0]]]}},
        {"type":"Feature","properties":{"building":"10号楼"},
         "geometry":{"type":"MultiPolygon","coordinates":[[[[100,100],[140,100],[140,120],[100,120]]]]}}
    ]}"#;
    let got = import(text, &grids()).unwrap();
    assert_eq!(got.units, Units::Metres);
    assert_eq!(
        got.buildings[0].pts,
        vec![(-70, 60), (-30, 60), (-30, 40), (-70, 40)]
    );
    assert_eq!(got.buildings[1].grid, "g04");
}

#[test]
fn import_errors_say_what_is_wrong() {
    assert!(matches!(
        import("not json", &grids()),
        Err(ImportError::NotJson(_))
    ));
    assert_eq!(
        import(r#"{"type":"Feature"}"#, &grids()),
        Err(ImportError::NotFeatureCollection)
    );
    assert_eq!(
        import(
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1,2]}}]}"#,
            &grids()
        ),
        Err(ImportError::NoPolygons)
    );
    let poly = |props: &str| {
        format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{props},"geometry":{{"type":"Polygon","coordinates":[[[0,0],[40,0],[40,20],[0,0]]]}}}}]}}"#
        )
    };
    assert_eq!(
        import(&poly("{}"), &grids()),
        Err(ImportError::Unnamed { index: 0 })
    );
    assert_eq!(
        import(&poly(r#"{"building":"99号楼"}"#), &grids()),
        Err(ImportError::NotOnAnyGrid {
            name: "99号楼".into()
        })
    );
    assert_eq!(
        import(
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"building":"1号楼"},"geometry":{"type":"Polygon","coordinates":[[["a",0]]]}}]}"#,
            &grids()
        ),
        Err(ImportError::BadCoordinates { index: 0 })
    );
    let twice = r#"{"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"building":"1号楼"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[40,0],[40,20]]]}},
        {"type":"Feature","properties":{"building":"1号楼"},"geometry":{"type":"Polygon","coordinates":[[[100,0],[140,0],[140,20]]]}}]}"#;
    assert_eq!(
        import(twice, &grids()),
        Err(ImportError::Duplicate {
            name: "1号楼".into()
        })
    );
    let far = r#"{"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"building":"1号楼"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[40,0],[40,20]]]}},
        {"type":"Feature","properties":{"building":"2号楼"},"geometry":{"type":"Polygon","coordinates":[[[9000,0],[9040,0],[9040,20]]]}}]}"#;
    assert_eq!(
        import(far, &grids()),
        Err(ImportError::TooLarge { max: EXTENT_MAX })
    );
}

#[test]
fn staff_save_move_and_rename_and_the_plan_reads_back() {
    let d = saved();
    let plan = SitePlan::read(&d).unwrap();
    assert_eq!(plan.buildings.len(), 9);
    assert_eq!(plan.landmarks[0].name, "南门");
    assert_eq!(plan.source, Source::Schematic);
    let mut m = d.fork().with_actor(ActorId::from(vec![2u8; 16]));
    let was = plan.building("2号楼").unwrap().pts.clone();
    PlanCommand::Move {
        building: "2号楼".into(),
        dx: 5,
        dy: -3,
        by: "p-zhang".into(),
        by_name: String::new(),
    }
    .apply(&mut m, t0())
    .unwrap();
    PlanCommand::Rename {
        building: "9号楼".into(),
        to: "9幢".into(),
        grid: "g02".into(),
        by: "p-zhang".into(),
        by_name: String::new(),
    }
    .apply(&mut m, t0())
    .unwrap();
    let after = SitePlan::read(&m).unwrap();
    assert_eq!(
        after.building("2号楼").unwrap().pts[0],
        (was[0].0 + 5, was[0].1 - 3)
    );
    assert!(after.building("9幢").is_some() && after.building("9号楼").is_none());
    // Renaming onto another building's name is refused.
    let mut r = m.fork();
    assert!(
        PlanCommand::Rename {
            building: "9幢".into(),
            to: "8号楼".into(),
            grid: "g02".into(),
            by: "p-zhang".into(),
            by_name: String::new(),
        }
        .apply(&mut r, t0())
        .is_err()
    );
    let staff = principal(Role::Staff, "p-zhang");
    check(&staff, &Automerge::new(), &d).unwrap();
    check(&staff, &d, &m).unwrap();
}

#[test]
fn only_staff_draw_the_plan_and_everyone_reads_it() {
    let d = saved();
    let wang = principal(Role::Resident, "p-wang");
    assert!(Kind::may_read(&wang, &Scope::read(&d)));
    let refusal = check(&wang, &Automerge::new(), &d).unwrap_err();
    assert_eq!(refusal.code, crate::api::RefusalCode::NotAllowed);
    let mut m = d.fork().with_actor(ActorId::from(vec![3u8; 16]));
    PlanCommand::Move {
        building: "1号楼".into(),
        dx: 1,
        dy: 1,
        by: "p-wang".into(),
        by_name: String::new(),
    }
    .apply(&mut m, t0())
    .unwrap();
    assert!(check(&principal(Role::GridWorker, "p-li"), &d, &m).is_err());
}

#[test]
fn unknown_fields_grids_and_malformed_points_are_refused_even_from_staff() {
    let d = saved();
    let staff = principal(Role::Staff, "p-zhang");
    let edit = |f: &dyn Fn(&mut automerge::transaction::Transaction<'_>)| {
        let mut m = d.fork().with_actor(ActorId::from(vec![4u8; 16]));
        let mut tx = m.transaction();
        f(&mut tx);
        tx.commit();
        check(&staff, &d, &m)
    };
    assert!(
        edit(&|tx| {
            tx.put(ROOT, "owner_phone", "x").unwrap();
        })
        .is_err()
    );
    let first = |tx: &automerge::transaction::Transaction<'_>| {
        use automerge::ReadDoc;
        let l = tx.get(ROOT, "buildings").unwrap().unwrap().1;
        tx.get(&l, 0).unwrap().unwrap().1
    };
    let refused = edit(&|tx| {
        let b = first(tx);
        tx.put(&b, "grid", "g99").unwrap();
    })
    .unwrap_err();
    assert_eq!(refused.code, crate::api::RefusalCode::UnknownGrid);
    assert!(
        edit(&|tx| {
            let b = first(tx);
            let pts = tx.put_object(&b, "pts", automerge::ObjType::List).unwrap();
            tx.insert(&pts, 0, "ten").unwrap();
            tx.insert(&pts, 1, 3).unwrap();
        })
        .is_err()
    );
    assert!(
        edit(&|tx| {
            let b = first(tx);
            tx.put(&b, "owner", "王").unwrap();
        })
        .is_err()
    );
    // Oversize: a building's name beyond its limit.
    let long = edit(&|tx| {
        let b = first(tx);
        tx.put(&b, "name", "楼".repeat(40)).unwrap();
    })
    .unwrap_err();
    assert_eq!(long.code, crate::api::RefusalCode::TooLarge);
    // A time from the future.
    let future = edit(&|tx| {
        tx.put(ROOT, "updated_at", t0() + 10 * HOUR).unwrap();
    })
    .unwrap_err();
    assert_eq!(future.code, crate::api::RefusalCode::BadTime);
}

#[test]
fn a_plan_with_problems_is_not_saved() {
    let b = |name: &str, grid: &str, n: usize| Building {
        name: name.into(),
        grid: grid.into(),
        pts: rect((0, 0), 10, 10).into_iter().take(n).collect(),
    };
    assert_eq!(problems(&[], &[]), vec![PlanError::Empty]);
    assert!(
        problems(&[b("1号楼", "g01", 4), b("1号楼", "g01", 4)], &[]).contains(
            &PlanError::Duplicate {
                name: "1号楼".into()
            }
        )
    );
    assert!(
        problems(&[b("1号楼", "", 4)], &[]).contains(&PlanError::NoGrid {
            name: "1号楼".into()
        })
    );
    assert!(matches!(
        problems(&[b("1号楼", "g01", 2)], &[])[0],
        PlanError::BadShape { .. }
    ));
    let mut d = Automerge::new();
    assert!(
        PlanCommand::Save {
            buildings: vec![b("", "g01", 4)],
            landmarks: Vec::new(),
            source: Source::Geojson,
            by: "p".into(),
            by_name: String::new(),
        }
        .apply(&mut d, t0())
        .is_err()
    );
}
