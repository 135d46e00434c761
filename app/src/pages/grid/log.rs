//! Logging a round, in a stairwell without signal: which round, the buildings walked, what was
//! found (text, where, photos; a phone or ID number typed in is caught at once and can be
//! moved to the round's note, which only the team reads), the elders visited at midday with a
//! three-way checklist, and a note. Every change to the form is kept as a draft on the phone (a
//! reload or a crash loses nothing); the saved round reaches the relay when the phone is back
//! online.

use leptos::prelude::*;
use linli_shared::domain::InputError;
use linli_shared::domain::grid::Round;
use linli_shared::domain::patrols::{
    FindingDraft, Outcome, PatrolCommand, RoundDraft, TEXT_MAX, Visit, month_of,
};
use linli_shared::ids::DocumentId;
use linli_shared::time::LocalDateTime;

use crate::data;
use crate::i18n::Lang;
use crate::platform;
use crate::state::{App, Notice, Route};
use crate::widgets::photos::PhotoPicker;
use crate::widgets::privacy::PersonalDataGuard;

impl Lang {
    pub fn outcome(self, o: Outcome) -> &'static str {
        match o {
            Outcome::Well => self.t("一切安好", "Well"),
            Outcome::NeedsHelp => self.t("需要帮助", "Needs help"),
            Outcome::NotHome => self.t("不在家", "Not home"),
        }
    }
}

/// What the form holds, kept as a draft while it is filled in.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct Draft {
    round: Round,
    buildings: Vec<String>,
    note: String,
    findings: Vec<FindingDraft>,
    text: String,
    place: String,
    photos: Vec<String>,
    visits: Vec<Visit>,
}

/// The round that fits the time of day.
fn round_now(now: i64) -> Round {
    match LocalDateTime::shanghai(now).hour {
        0..=10 => Round::Morning,
        11..=16 => Round::Midday,
        _ => Round::Evening,
    }
}

#[component]
pub fn LogPage(grid: String) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let key = format!("patrol:{grid}");
    let g = StoredValue::new(grid);
    let kept: Option<Draft> = app
        .draft(&key)
        .and_then(|json| serde_json::from_str(&json).ok());
    let kept = kept.unwrap_or(Draft {
        round: round_now(app.now()),
        buildings: Vec::new(),
        note: String::new(),
        findings: Vec::new(),
        text: String::new(),
        place: String::new(),
        photos: Vec::new(),
        visits: Vec::new(),
    });
    let round = RwSignal::new(kept.round);
    let buildings = RwSignal::new(kept.buildings);
    let note = RwSignal::new(kept.note);
    let findings = RwSignal::new(kept.findings);
    // The finding being typed.
    let text = RwSignal::new(kept.text);
    let place = RwSignal::new(kept.place);
    let photos = RwSignal::new(kept.photos);
    let visits = RwSignal::new(kept.visits);
    let draft_key = StoredValue::new(key);
    Effect::new(move |first: Option<()>| {
        let d = Draft {
            round: round.get(),
            buildings: buildings.get(),
            note: note.get(),
            findings: findings.get(),
            text: text.get(),
            place: place.get(),
            photos: photos.get(),
            visits: visits.get(),
        };
        if first.is_some() {
            let json = serde_json::to_string(&d).unwrap_or_default();
            app.set_draft(&draft_key.get_value(), &json);
        }
    });
    let visit_name = RwSignal::new(String::new());
    let visit_flat = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<InputError>::new());
    let info = Memo::new(move |_| data::grid(&app, &g.get_value()).map(|(_, i)| i));
    // The grid's elders who live alone, where this phone holds their records.
    let elders = Memo::new(move |_| {
        data::people(&app)
            .into_iter()
            .filter(|(_, p)| p.lives_alone && p.grid == g.get_value())
            .map(|(_, p)| (p.name, p.flat))
            .collect::<Vec<_>>()
    });
    let add_finding = move |_| {
        let f = FindingDraft {
            text: text.get_untracked().trim().to_string(),
            place: place.get_untracked().trim().to_string(),
            photos: photos.get_untracked(),
        };
        let check = RoundDraft {
            round: round.get_untracked(),
            buildings: Vec::new(),
            note: String::new(),
            findings: vec![f.clone()],
            visits: Vec::new(),
        };
        let found = check.problems();
        if !found.is_empty() {
            problems.set(found);
            return;
        }
        problems.set(Vec::new());
        findings.update(|v| v.push(f));
        text.set(String::new());
        place.set(String::new());
        photos.set(Vec::new());
    };
    let set_visit = move |name: String, flat: String, outcome: Outcome| {
        visits.update(|v| {
            v.retain(|x| !(x.name == name && x.flat == flat));
            v.push(Visit {
                name,
                flat,
                outcome,
                note: String::new(),
            });
        });
    };
    let submit = move || {
        let Some(session) = app.session.get_untracked() else {
            return;
        };
        // A finding typed but not yet added is added too: nothing typed is lost.
        if !text.get_untracked().trim().is_empty() {
            add_finding(());
            if !problems.get_untracked().is_empty() {
                return;
            }
        }
        let draft = RoundDraft {
            round: round.get_untracked(),
            buildings: buildings.get_untracked(),
            note: note.get_untracked(),
            findings: findings.get_untracked(),
            visits: visits.get_untracked(),
        };
        let found = draft.problems();
        if !found.is_empty() {
            problems.set(found);
            return;
        }
        let now = app.now();
        let month = month_of(now);
        let grid = g.get_value();
        let existing = data::patrol_logs(&app, &grid)
            .into_iter()
            .find(|(_, l)| l.month == month)
            .map(|(id, _)| id);
        let id = existing.unwrap_or_else(|| DocumentId::from_bytes(platform::random_bytes::<16>()));
        let opened = if existing.is_none() {
            app.send(
                id,
                PatrolCommand::Open {
                    grid: grid.clone(),
                    month,
                },
            )
            .map(|_| ())
        } else {
            Ok(())
        };
        let name = data::me(&app).map(|m| m.name).unwrap_or_default();
        let photos: Vec<String> = draft
            .findings
            .iter()
            .flat_map(|f| f.photos.clone())
            .collect();
        let saved = opened.and_then(|()| {
            app.send(
                id,
                PatrolCommand::Log {
                    by: session.person.clone(),
                    by_name: name,
                    draft,
                },
            )
        });
        match saved {
            Ok(_) => {
                if !photos.is_empty() {
                    app.attach_photos(id, photos);
                }
                app.clear_draft(&draft_key.get_value());
                app.notice.set(Some(Notice::Saved));
                app.go(Route::Grid(grid));
            }
            Err(linli_shared::domain::ModelError::Input(e)) => problems.set(vec![e]),
            Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
        }
    };
    let problem = move || problems.with(|p| lang.get().input_errors(p));
    view! {
        <main class="page log-round">
            <h2>{move || format!("{} · {}", lang.get().grid_name(&g.get_value()), lang.get().t("记录巡查", "Log a round"))}</h2>
            <form novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <fieldset class="field">
                    <legend>{move || lang.get().t("轮次", "Round")}</legend>
                    {Round::ALL.into_iter().map(|r| view! {
                        <label class="choice">
                            <input type="radio" name="round" value=r.as_str()
                                checked=move || round.get() == r
                                on:change=move |_| round.set(r)/>
                            {move || lang.get().round(r)}
                        </label>
                    }).collect_view()}
                </fieldset>
                <fieldset class="field">
                    <legend>{move || lang.get().t("走过的楼栋（不选即全网格）", "Buildings walked (none: the whole grid)")}</legend>
                    {move || info.get().map(|i| i.buildings).unwrap_or_default().into_iter().map(|b| {
                        let b2 = b.clone();
                        let b3 = b.clone();
                        view! {
                            <label class="choice">
                                <input type="checkbox" prop:checked=move || buildings.with(|v| v.contains(&b3)) on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    let b = b2.clone();
                                    buildings.update(|v| { v.retain(|x| *x != b); if on { v.push(b); } });
                                }/>
                                {b}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <section class="field" aria-labelledby="fd-title">
                    <h3 id="fd-title">{move || lang.get().t("发现的问题", "Findings")}</h3>
                    <ul class="findings">
                        {move || findings.get().into_iter().enumerate().map(|(i, f)| view! {
                            <li data-testid="draft-finding">
                                <span>{f.text}</span><span class="meta">{f.place}</span>
                                <button type="button" class="primary"
                                    aria-label=move || format!("{} {}", lang.get().t("删除发现", "Remove finding"), i + 1)
                                    on:click=move |_| findings.update(|v| { if i < v.len() { v.remove(i); } })>
                                    {move || lang.get().t("删除", "Remove")}
                                </button>
                            </li>
                        }).collect_view()}
                    </ul>
                    <label for="fd-text">{move || lang.get().t("看到了什么", "What you found")}</label>
                    <textarea id="fd-text" rows="2" maxlength=TEXT_MAX.to_string()
                        prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))
                        aria-describedby="fd-text-pii log-err"></textarea>
                    <PersonalDataGuard text=text private=note
                        private_name=("备注（只有网格团队看得到）", "the note (only the grid's team sees it)") id="fd-text-pii"/>
                    <label for="fd-place">{move || lang.get().t("在哪里", "Where")}</label>
                    <input id="fd-place" prop:value=move || place.get()
                        on:input=move |ev| place.set(event_target_value(&ev))/>
                    <PhotoPicker photos id="fd-photos"/>
                    <button type="button" class="primary" on:click=move |_| add_finding(())>
                        {move || lang.get().t("加入这条发现", "Add this finding")}
                    </button>
                </section>
                <Show when=move || round.get() == Round::Midday>
                    <section class="field visits" aria-labelledby="vs-title">
                        <h3 id="vs-title">{move || lang.get().t("走访长辈", "Elders visited")}</h3>
                        {move || elders.get().into_iter().chain(
                            visits.get().into_iter().map(|v| (v.name, v.flat)).filter(|v| !elders.get().contains(v))
                        ).map(|(name, flat)| {
                            let (n, f) = (name.clone(), flat.clone());
                            let chosen = move || visits.get().into_iter().find(|v| v.name == n && v.flat == f).map(|v| v.outcome);
                            view! {
                                <fieldset class="visit">
                                    <legend>{name.clone()}" "{flat.clone()}</legend>
                                    {Outcome::ALL.into_iter().map(|o| {
                                        let (n, f) = (name.clone(), flat.clone());
                                        let chosen = chosen.clone();
                                        view! {
                                            <label class="choice">
                                                <input type="radio" name=format!("visit-{name}-{flat}") checked=move || chosen() == Some(o)
                                                    on:change=move |_| set_visit(n.clone(), f.clone(), o)/>
                                                {move || lang.get().outcome(o)}
                                            </label>
                                        }
                                    }).collect_view()}
                                </fieldset>
                            }
                        }).collect_view()}
                        <div class="add-visit">
                            <label for="vs-name">{move || lang.get().t("其他长辈姓名", "Another elder's name")}</label>
                            <input id="vs-name" prop:value=move || visit_name.get() on:input=move |ev| visit_name.set(event_target_value(&ev))/>
                            <label for="vs-flat">{move || lang.get().t("门牌", "Flat")}</label>
                            <input id="vs-flat" prop:value=move || visit_flat.get() on:input=move |ev| visit_flat.set(event_target_value(&ev))/>
                            <button type="button" class="primary" on:click=move |_| {
                                let (n, f) = (visit_name.get_untracked().trim().to_string(), visit_flat.get_untracked().trim().to_string());
                                if !n.is_empty() {
                                    set_visit(n, f, Outcome::Well);
                                    visit_name.set(String::new());
                                    visit_flat.set(String::new());
                                }
                            }>{move || lang.get().t("加一位", "Add")}</button>
                        </div>
                    </section>
                </Show>
                <div class="field">
                    <label for="log-note">{move || lang.get().t("备注（只有网格团队看得到）", "Note (only the grid's team sees it)")}</label>
                    <textarea id="log-note" rows="2" prop:value=move || note.get()
                        on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                </div>
                <p id="log-err" class="field-error" role="alert">{problem}</p>
                <button type="submit" class="primary big">{move || lang.get().t("保存巡查记录", "Save the round")}</button>
            </form>
        </main>
    }
}
