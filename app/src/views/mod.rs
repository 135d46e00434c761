pub mod detail;
pub mod enrol;
pub mod file;
pub mod requests;
pub mod settings;
pub mod shell;
