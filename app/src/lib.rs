//! # linli-app: the offline-first web app
//!
//! Components read signals and call commands on [`state::App`]; the browser's storage,
//! socket and clock live in [`platform`]; the sync logic is `linli_shared::client`.

pub mod data;
pub mod i18n;
pub mod pages;
pub mod platform;
pub mod state;
pub mod widgets;

use leptos::prelude::*;

// The unit tests run in headless Chromium with the browser tests (`scripts/test`): the app
// is built for wasm32 only.
#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use crate::pages::enrol::EnrolPage;
use crate::pages::people::{PeoplePage, PersonPage};
use crate::pages::requests::detail::RequestPage;
use crate::pages::requests::elders::EldersPage;
use crate::pages::requests::file::FilePage;
use crate::pages::requests::list::HomePage;
use crate::pages::settings::SettingsPage;
use crate::pages::shell::{Notices, TabBar, TopBar, UpdateBanner};
use crate::state::{App, Route};

/// The app's entry point (the binary's `main`).
pub fn start() {
    console_error_panic_hook::set_once();
    // Off the page while the first screen index.html painted shows (platform::firstpaint), and
    // in a task of its own: instantiating the wasm and rendering the app are two shorter tasks
    // rather than one long one.
    match platform::firstpaint::host() {
        Some(host) => leptos::prelude::set_timeout(
            move || leptos::mount::mount_to(host, Root).forget(),
            std::time::Duration::ZERO,
        ),
        None => leptos::mount::mount_to_body(Root),
    }
}

#[component]
pub fn Root() -> impl IntoView {
    let app = App::from_browser();
    // The handles are Copy + Send; components take them from context.
    provide_context(app);
    app.set_lang(app.lang.get_untracked());
    app.set_elder(app.elder.get_untracked());
    platform::sw::register(app.update_ready, app.waiting_sw);
    app.start();
    // Staff and grid workers: the dashboard's index is built in the background once the
    // stored documents are read, so its figures show at once when asked for.
    crate::pages::indicators::warm(app);
    // The first screen index.html painted gives way once storage is read: here on an enrolled
    // phone; the enrolment page hands over itself (pages::enrol).
    Effect::new(move |_| {
        if !app.ready.get() {
            return;
        }
        let role = app.session.with(|s| s.as_ref().map(|s| s.role.as_str()));
        platform::firstpaint::remember_enrolled(role);
        if role.is_some() {
            platform::firstpaint::take_over_next_frame();
        }
    });
    let enrolled = move || app.session.with(Option::is_some);
    view! {
        <TopBar/>
        <UpdateBanner/>
        <Notices/>
        <Show when=move || app.ready.get() fallback=|| view! { <main class="page"><p class="loading" aria-busy="true">"…"</p></main> }>
            <Show when=enrolled fallback=|| view! { <EnrolPage/> }>
                {move || match app.route.get() {
                    Route::Home => view! { <HomePage/> }.into_any(),
                    Route::File => view! { <FilePage/> }.into_any(),
                    Route::Request(id) => view! { <RequestPage id/> }.into_any(),
                    Route::Settings => view! { <SettingsPage/> }.into_any(),
                    Route::People => view! { <PeoplePage/> }.into_any(),
                    Route::Person(id) => view! { <PersonPage id/> }.into_any(),
                    Route::Elders => view! { <EldersPage/> }.into_any(),
                    // Already enrolled: an invite link just opens the app.
                    Route::Join(_) => view! { <HomePage/> }.into_any(),
                    Route::Notes => view! { <crate::pages::requests::notify::NotesPage/> }.into_any(),
                    Route::Hub => view! { <crate::pages::hub::HubPage/> }.into_any(),
                    Route::Grids => view! { <crate::pages::grid::GridsPage/> }.into_any(),
                    Route::Grid(grid) => view! { <crate::pages::grid::GridPage grid/> }.into_any(),
                    Route::GridLog(grid) => view! { <crate::pages::grid::log::LogPage grid/> }.into_any(),
                    Route::Works => view! { <crate::pages::works::WorksPage/> }.into_any(),
                    Route::Events => view! { <crate::pages::events::EventsPage/> }.into_any(),
                    Route::Event(id) => view! { <crate::pages::events::EventPage id/> }.into_any(),
                    Route::Groups => view! { <crate::pages::groups::GroupsPage/> }.into_any(),
                    Route::Group(id) => view! { <crate::pages::groups::GroupPage id/> }.into_any(),
                    Route::Indicators => view! { <crate::pages::indicators::IndicatorsPage/> }.into_any(),
                    Route::Indicator(id) => view! { <crate::pages::indicators::RecordsPage id/> }.into_any(),
                    Route::NewEvent(repeat) => view! { <crate::pages::events::EventForm existing=None repeat/> }.into_any(),
                    Route::EditEvent(id) => view! { <crate::pages::events::EventForm existing=Some(id) repeat=None/> }.into_any(),
                    Route::EventDoor(id) => view! { <crate::pages::events::DoorPage id/> }.into_any(),
                    Route::Volunteers => view! { <crate::pages::volunteers::VolunteersPage/> }.into_any(),
                    Route::Volunteer(id) => view! { <crate::pages::volunteers::VolunteerPage id/> }.into_any(),
                    Route::Certificate(id) => view! { <crate::pages::volunteers::CertificatePage id/> }.into_any(),
                    Route::Work(id) => view! { <crate::pages::works::WorkPage id/> }.into_any(),
                    Route::NewWork(request) => view! { <crate::pages::works::WorkForm existing=None request/> }.into_any(),
                    Route::EditWork(id) => view! { <crate::pages::works::WorkForm existing=Some(id) request=None/> }.into_any(),
                    Route::Sorting(grid) => view! { <crate::pages::sorting::SortingPage grid/> }.into_any(),
                    Route::Merchants => view! { <crate::pages::merchants::MerchantsPage/> }.into_any(),
                    Route::Merchant(id) => view! { <crate::pages::merchants::MerchantPage id/> }.into_any(),
                    Route::Talks => view! { <crate::pages::talks::TalksPage/> }.into_any(),
                    Route::Talk(id) => view! { <crate::pages::talks::TalkPage id/> }.into_any(),
                    Route::Fund => view! { <crate::pages::grants::fund::FundPage/> }.into_any(),
                    Route::Grants => view! { <crate::pages::grants::list::GrantsPage/> }.into_any(),
                    Route::Proposal(id) => view! { <crate::pages::grants::proposal::ProposalPage id/> }.into_any(),
                    Route::Votes => view! { <crate::pages::talks::VotesPage/> }.into_any(),
                    Route::Vote(id) => view! { <crate::pages::talks::VotePage id/> }.into_any(),
                    Route::NewVote(from) => view! { <crate::pages::talks::NewVotePage from/> }.into_any(),
                    Route::Exports => view! { <crate::pages::exports::ExportsPage/> }.into_any(),
                    Route::Cases => view! { <crate::pages::cases::CasesPage/> }.into_any(),
                    Route::Report => view! { <crate::pages::report::ReportPage/> }.into_any(),
                    Route::Case(id) => view! { <crate::pages::cases::CasePage id/> }.into_any(),
                    Route::NewCase => view! { <crate::pages::cases::CaseForm existing=None/> }.into_any(),
                    Route::EditCase(id) => view! { <crate::pages::cases::CaseForm existing=Some(id)/> }.into_any(),
                    Route::Charters => view! { <crate::pages::charters::ChartersPage/> }.into_any(),
                    Route::Charter(id) => view! { <crate::pages::charters::CharterPage id/> }.into_any(),
                    Route::Roadmap => view! { <crate::pages::roadmap::RoadmapPage/> }.into_any(),
                    Route::RoadmapEdit => view! { <crate::pages::roadmap::RoadmapEditPage/> }.into_any(),
                    Route::ResourceMap => view! { <crate::pages::resmap::ResourceMapPage/> }.into_any(),
                    Route::Resource(id) => view! { <crate::pages::resmap::ResourcePage id/> }.into_any(),
                    Route::NewResource => view! { <crate::pages::resmap::ResourceForm/> }.into_any(),
                    Route::EditResource(id) => view! { <crate::pages::resmap::ResourceForm editing=id/> }.into_any(),
                    Route::SitePlan => view! { <crate::pages::resmap::SitePlanPage/> }.into_any(),
                    Route::Drawings => view! { <crate::pages::drawings::DrawingsPage/> }.into_any(),
                    Route::Drawing(id) => view! { <crate::pages::drawings::DrawingPage id/> }.into_any(),
                    Route::ShownDrawing(key) => view! { <crate::pages::drawings::ShownDrawingPage key/> }.into_any(),
                    Route::NewDrawing => view! { <crate::pages::drawings::DrawingForm/> }.into_any(),
                    Route::FieldNotes => view! { <crate::pages::notes::NotesRegister/> }.into_any(),
                    Route::School => view! { <crate::pages::school::SchoolRegister/> }.into_any(),
                    Route::Training(id) => view! { <crate::pages::school::TrainingPage id/> }.into_any(),
                    Route::NewTraining => view! { <crate::pages::school::TrainingForm existing=None/> }.into_any(),
                    Route::EditTraining(id) => view! { <crate::pages::school::TrainingForm existing=Some(id)/> }.into_any(),
                    Route::Note(id) => view! { <crate::pages::notes::NotePage id/> }.into_any(),
                    Route::NewNote(link) => view! { <crate::pages::notes::NoteForm existing=None link/> }.into_any(),
                    Route::EditNote(id) => view! { <crate::pages::notes::NoteForm existing=Some(id) link=None/> }.into_any(),
                }}
                <TabBar/>
            </Show>
        </Show>
    }
}
