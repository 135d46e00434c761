//! Requests 诉求: the lists (a resident's own, a grid worker's queue), one request, filing
//! (for oneself, or for an elder by a volunteer), the elders a volunteer helps, and what is
//! new since one last looked.

pub mod card;
pub mod detail;
pub mod elders;
pub mod file;
pub mod list;
pub mod notify;
