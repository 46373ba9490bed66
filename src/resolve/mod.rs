//! Resolution: deciding identity. `people` maps the mentions of one release onto persons;
//! `merge` decides when meetings reported by different releases are the same meeting.

pub mod people;
