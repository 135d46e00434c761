//! The app's pages, one folder per module (`requests/`, `people/`, `grid/`, `merchants/`), and the frame and pages
//! every person has (`shell`, `enrol`, `settings`, staff's `community` settings). Pages read
//! the read model (`crate::data`) and send commands to `crate::state::App`.

pub mod cases;
pub mod charters;
pub mod community;
pub mod drawings;
pub mod enrol;
pub mod events;
pub mod exports;
pub mod grants;
pub mod grid;
pub mod groups;
pub mod hub;
pub mod indicators;
pub mod merchants;
pub mod notes;
pub mod people;
pub mod report;
pub mod requests;
pub mod resmap;
pub mod roadmap;
pub mod school;
pub mod settings;
pub mod shell;
pub mod sorting;
pub mod talks;
pub mod volunteers;
pub mod works;
