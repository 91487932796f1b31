-- paperclub's first schema: the events the channel announces and what they are about.
--
-- Rules that must never be false live here as constraints, not only in Rust:
-- the Rust side parses input into domain types first (and gives friendlier
-- messages), but the database is the last line that no bug can talk its way past.

-- A time zone is an IANA id that PostgreSQL itself knows (e.g. 'Europe/Moscow').
-- pg_timezone_names is read from the server's tz database; the function is
-- declared IMMUTABLE so a CHECK may use it. That is a white lie: the list only
-- changes on a tzdata upgrade, and zones are never removed there, only aliased.
CREATE FUNCTION is_known_time_zone(tz text) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = tz) AND tz LIKE '%/%' OR tz = 'UTC' $$;

CREATE DOMAIN time_zone_id AS text
    CONSTRAINT time_zone_id_known CHECK (is_known_time_zone(VALUE));

-- The two languages the product speaks; a series posts in one of them.
CREATE DOMAIN language_code AS text
    CONSTRAINT language_code_known CHECK (VALUE IN ('ru', 'en'));

-- URL path segments we build addresses from.
CREATE DOMAIN slug AS text
    CONSTRAINT slug_format CHECK (VALUE ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(VALUE) <= 64);

-- Links we render as href: only web addresses, so no `javascript:` can slip into a page.
CREATE DOMAIN web_url AS text
    CONSTRAINT web_url_format CHECK (VALUE ~ '^https?://[^\s]+$' AND length(VALUE) <= 2000);

-- A series is a named, numbered line of events: the team's reading group,
-- the OK Tech Talk meetups. Its zone and language are the defaults for new
-- events and for the channel posts about them.
CREATE TABLE series (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug        slug NOT NULL CONSTRAINT series_slug_unique UNIQUE,
    title       text NOT NULL CONSTRAINT series_title_length CHECK (length(title) BETWEEN 1 AND 200),
    description text NOT NULL DEFAULT '' CONSTRAINT series_description_length CHECK (length(description) <= 5000),
    time_zone   time_zone_id NOT NULL DEFAULT 'Europe/Moscow',
    language    language_code NOT NULL DEFAULT 'ru',
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TYPE event_kind AS ENUM ('session', 'meetup');
CREATE TYPE event_format AS ENUM ('online', 'in_person', 'hybrid');
-- draft: only organisers see it; scheduled: public; cancelled: public, marked;
-- finished: in the past, may carry a recording.
CREATE TYPE event_status AS ENUM ('draft', 'scheduled', 'cancelled', 'finished');
CREATE TYPE registration_mode AS ENUM ('none', 'open', 'required', 'approval');
-- Who may see the online link: everyone, or only people registered for the event.
CREATE TYPE link_visibility AS ENUM ('everyone', 'registered');

-- An event is a reading-group session or a meetup. Start and end are instants
-- (timestamptz); the zone says how to show them, so "15:00 MSK" stays 15:00 MSK
-- whatever the server's or viewer's zone is.
CREATE TABLE events (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    series_id             bigint NOT NULL REFERENCES series (id) ON DELETE RESTRICT,
    kind                  event_kind NOT NULL,
    -- "the 100th meeting": numbers are per series, given by the organiser
    -- (the channel's numbering started long before this platform).
    number                integer NOT NULL CONSTRAINT events_number_positive CHECK (number > 0),
    title                 text NOT NULL CONSTRAINT events_title_length CHECK (length(title) BETWEEN 1 AND 300),
    description_md        text NOT NULL DEFAULT '' CONSTRAINT events_description_length CHECK (length(description_md) <= 20000),
    starts_at             timestamptz NOT NULL,
    ends_at               timestamptz NOT NULL,
    time_zone             time_zone_id NOT NULL,
    format                event_format NOT NULL,
    online_url            web_url,
    link_visibility       link_visibility NOT NULL DEFAULT 'everyone',
    venue_name            text CONSTRAINT events_venue_name_length CHECK (length(venue_name) <= 300),
    venue_address         text CONSTRAINT events_venue_address_length CHECK (length(venue_address) <= 500),
    -- NULL means unlimited.
    capacity              integer CONSTRAINT events_capacity_positive CHECK (capacity > 0),
    registration_mode     registration_mode NOT NULL DEFAULT 'none',
    registration_deadline timestamptz,
    status                event_status NOT NULL DEFAULT 'draft',
    recording_url         web_url,
    -- The recording's file name and size as the channel showed them ("... .mp4, 75 MB").
    recording_file_name   text CONSTRAINT events_recording_file_name_length CHECK (length(recording_file_name) <= 300),
    recording_size_bytes  bigint CONSTRAINT events_recording_size_positive CHECK (recording_size_bytes > 0),
    slides_url            web_url,
    published_at          timestamptz,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT events_end_after_start CHECK (ends_at > starts_at),
    CONSTRAINT events_number_unique_in_series UNIQUE (series_id, number),
    -- A deadline after the start would let people register for something already under way.
    CONSTRAINT events_deadline_before_end CHECK (registration_deadline IS NULL OR registration_deadline <= ends_at),
    -- Something that is not a draft has been published at some moment.
    CONSTRAINT events_published_has_moment CHECK (status = 'draft' OR published_at IS NOT NULL)
);
-- Home and series pages list by start time, public ones only.
CREATE INDEX events_public_by_start ON events (starts_at) WHERE status <> 'draft';
CREATE INDEX events_series_by_number ON events (series_id, number);

-- A paper is discussed in one or more events. arXiv id and DOI are unique so
-- proposing the same paper twice finds the existing row.
CREATE TABLE papers (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title       text NOT NULL CONSTRAINT papers_title_length CHECK (length(title) BETWEEN 1 AND 500),
    -- In the order the paper lists them.
    authors     text[] NOT NULL DEFAULT '{}' CONSTRAINT papers_authors_bounded CHECK (cardinality(authors) <= 100),
    year        integer CONSTRAINT papers_year_plausible CHECK (year BETWEEN 1900 AND 2100),
    venue       text CONSTRAINT papers_venue_length CHECK (length(venue) <= 200),
    -- New-style arXiv ids (2212.05720, optionally with a version).
    arxiv_id    text CONSTRAINT papers_arxiv_id_unique UNIQUE
                     CONSTRAINT papers_arxiv_id_format CHECK (arxiv_id ~ '^[0-9]{4}\.[0-9]{4,5}(v[0-9]+)?$'),
    doi         text CONSTRAINT papers_doi_unique UNIQUE
                     CONSTRAINT papers_doi_format CHECK (doi ~ '^10\.[0-9]{4,9}/\S+$' AND length(doi) <= 200),
    url         web_url,
    abstract    text NOT NULL DEFAULT '' CONSTRAINT papers_abstract_length CHECK (length(abstract) <= 10000),
    bibtex      text NOT NULL DEFAULT '' CONSTRAINT papers_bibtex_length CHECK (length(bibtex) <= 10000),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Presenters, speakers and hosts.
CREATE TABLE people (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name             text NOT NULL CONSTRAINT people_name_length CHECK (length(name) BETWEEN 1 AND 200),
    role             text CONSTRAINT people_role_length CHECK (length(role) <= 200),
    affiliation      text CONSTRAINT people_affiliation_length CHECK (length(affiliation) <= 200),
    bio              text NOT NULL DEFAULT '' CONSTRAINT people_bio_length CHECK (length(bio) <= 5000),
    -- Without the '@'; Telegram's own rules for usernames.
    telegram_handle  text CONSTRAINT people_telegram_handle_unique UNIQUE
                          CONSTRAINT people_telegram_handle_format CHECK (telegram_handle ~ '^[A-Za-z][A-Za-z0-9_]{4,31}$'),
    created_at       timestamptz NOT NULL DEFAULT now()
);
-- Authoring finds an existing person by name before creating a second copy.
CREATE UNIQUE INDEX people_name_affiliation_unique ON people (lower(name), coalesce(lower(affiliation), ''));

CREATE TABLE event_papers (
    event_id  bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    paper_id  bigint NOT NULL REFERENCES papers (id) ON DELETE RESTRICT,
    position  integer NOT NULL,
    PRIMARY KEY (event_id, paper_id)
);
CREATE INDEX event_papers_by_paper ON event_papers (paper_id);

CREATE TYPE event_person_role AS ENUM ('presenter', 'speaker', 'host');

-- Who leads a session (presenter), talks at a meetup (speaker) or hosts it.
CREATE TABLE event_people (
    event_id  bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    person_id bigint NOT NULL REFERENCES people (id) ON DELETE RESTRICT,
    role      event_person_role NOT NULL,
    position  integer NOT NULL,
    PRIMARY KEY (event_id, person_id, role)
);
CREATE INDEX event_people_by_person ON event_people (person_id);

CREATE TYPE programme_item_kind AS ENUM ('talk', 'break', 'networking', 'gathering');

-- A meetup's timed programme: "17:30-18:10 — talk, speaker, company".
CREATE TABLE programme_items (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id   bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    starts_at  timestamptz NOT NULL,
    ends_at    timestamptz NOT NULL,
    kind       programme_item_kind NOT NULL,
    title      text NOT NULL CONSTRAINT programme_items_title_length CHECK (length(title) BETWEEN 1 AND 300),
    CONSTRAINT programme_items_end_after_start CHECK (ends_at > starts_at)
);
CREATE INDEX programme_items_by_event ON programme_items (event_id, starts_at);

CREATE TABLE programme_item_speakers (
    item_id   bigint NOT NULL REFERENCES programme_items (id) ON DELETE CASCADE,
    person_id bigint NOT NULL REFERENCES people (id) ON DELETE RESTRICT,
    position  integer NOT NULL,
    PRIMARY KEY (item_id, person_id)
);
