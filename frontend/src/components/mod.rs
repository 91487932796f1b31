//! Pieces several pages share.

pub mod action_answer;
pub mod answer_in_place;
pub mod event_card;
pub mod form;
pub mod loaded;
pub mod local_time;
pub mod plot;
pub mod registration_form;
pub mod table_scroll;
