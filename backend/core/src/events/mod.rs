//! Events: reading-group sessions and meetups.

#[cfg(feature = "server")]
pub mod authoring;
#[cfg(feature = "server")]
pub mod programme;
#[cfg(feature = "server")]
pub mod queries;

db_enum!(
    /// A reading-group session or a meetup: they render differently everywhere.
    EventKind as "event_kind" { Session = "session", Meetup = "meetup" }
);
db_enum!(EventFormat as "event_format" { Online = "online", InPerson = "in_person", Hybrid = "hybrid" });
db_enum!(EventStatus as "event_status" {
    Draft = "draft", Scheduled = "scheduled", Cancelled = "cancelled", Finished = "finished"
});
db_enum!(RegistrationMode as "registration_mode" {
    None = "none", Open = "open", Required = "required", Approval = "approval"
});
db_enum!(LinkVisibility as "link_visibility" { Everyone = "everyone", Registered = "registered" });
db_enum!(PersonRole as "event_person_role" { Presenter = "presenter", Speaker = "speaker", Host = "host" });
db_enum!(ProgrammeKind as "programme_item_kind" {
    Talk = "talk", Break = "break", Networking = "networking", Gathering = "gathering"
});

impl EventFormat {
    pub fn is_online(self) -> bool {
        matches!(self, EventFormat::Online | EventFormat::Hybrid)
    }
    pub fn is_in_person(self) -> bool {
        matches!(self, EventFormat::InPerson | EventFormat::Hybrid)
    }
}

impl EventStatus {
    /// Whether the public may see an event in this status.
    pub fn is_public(self) -> bool {
        self != EventStatus::Draft
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_parses_back_to_its_variant() {
        for kind in ProgrammeKind::ALL {
            assert_eq!(ProgrammeKind::parse(kind.code()), Some(*kind));
        }
        for status in EventStatus::ALL {
            assert_eq!(EventStatus::parse(status.code()), Some(*status));
        }
        assert_eq!(EventFormat::parse("in_person"), Some(EventFormat::InPerson));
        assert_eq!(EventFormat::parse("offline"), None);
    }

    #[test]
    fn only_drafts_are_hidden_from_the_public() {
        assert!(!EventStatus::Draft.is_public());
        assert!(EventStatus::Cancelled.is_public());
    }
}
