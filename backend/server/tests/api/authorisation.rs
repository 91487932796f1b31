//! Who may do what, as one table: every page, server function and edge
//! route, read from the router itself, called as an anonymous visitor, a
//! member, check-in staff and an organiser. A route missing from the table
//! (or a row for a route that no longer exists) fails the test, so a new
//! route cannot ship without saying who may use it.

use std::collections::BTreeSet;

use paperclub_core::clock::Clock;

use crate::helpers::{Page, TestApp, spawn_app, unique_email};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Role {
    Anonymous,
    Member,
    Checkin,
    Organiser,
}

const ROLES: [Role; 4] = [Role::Anonymous, Role::Member, Role::Checkin, Role::Organiser];

/// Who a route is for.
#[derive(Debug, Clone, Copy)]
enum Access {
    /// Anyone (a ticket or link token, where the path has one, is the key).
    Public,
    /// Any signed-in account.
    SignedIn,
    /// Organisers and check-in staff.
    Staff,
    Organiser,
    /// Whoever started the demo run, and organisers (the fixture's run has no
    /// visitor, so here: organisers).
    RunOwner,
}

impl Access {
    fn allows(self, role: Role) -> bool {
        match self {
            Access::Public => true,
            Access::SignedIn => role != Role::Anonymous,
            Access::Staff => role >= Role::Checkin,
            Access::Organiser | Access::RunOwner => role == Role::Organiser,
        }
    }
}

/// (method, path as the router names it, who, the arguments of a call).
/// `{event}`, `{registration}`, `{token}`, `{run}`, `{notification}` in
/// arguments are filled from the fixtures.
type Row = (&'static str, &'static str, Access, &'static [(&'static str, &'static str)]);

const TABLE: &[Row] = &[
    // Pages.
    ("GET", "/", Access::Public, &[]),
    ("GET", "/events/{id}", Access::Public, &[]),
    ("GET", "/series/{slug}", Access::Public, &[]),
    ("GET", "/people/{id}", Access::Public, &[]),
    ("GET", "/papers/{id}", Access::Public, &[]),
    ("GET", "/demos", Access::Public, &[]),
    ("GET", "/demos/runs/{id}", Access::Public, &[]),
    ("GET", "/demos/{demo}", Access::Public, &[]),
    ("GET", "/me", Access::Public, &[]),
    ("GET", "/tickets/{token}", Access::Public, &[]),
    ("GET", "/admin", Access::Organiser, &[]),
    ("GET", "/admin/door", Access::Staff, &[]),
    ("GET", "/admin/sign-in", Access::Public, &[]),
    ("GET", "/admin/events/new", Access::Organiser, &[]),
    ("GET", "/admin/events/{id}/edit", Access::Organiser, &[]),
    ("GET", "/admin/events/{id}/registrations", Access::Organiser, &[]),
    ("GET", "/admin/events/{id}/notifications", Access::Organiser, &[]),
    ("GET", "/admin/events/{id}/check-in", Access::Staff, &[]),
    ("GET", "/admin/series/new", Access::Organiser, &[]),
    ("GET", "/admin/series/{id}/edit", Access::Organiser, &[]),
    // Edge routes.
    ("GET", "/healthz", Access::Public, &[]),
    ("GET", "/calendar.ics", Access::Public, &[]),
    ("GET", "/series/{slug}/calendar.ics", Access::Public, &[]),
    ("GET", "/events/{id}/calendar.ics", Access::Public, &[]),
    ("GET", "/feed.atom", Access::Public, &[]),
    ("GET", "/series/{slug}/feed.atom", Access::Public, &[]),
    ("GET", "/papers/{id}/cite.bib", Access::Public, &[]),
    ("GET", "/series/{slug}/papers.bib", Access::Public, &[]),
    ("POST", "/lang", Access::Public, &[("lang", "en"), ("back", "/")]),
    ("GET", "/join/{token}", Access::Public, &[]),
    ("GET", "/sign-in/{token}", Access::Public, &[]),
    ("POST", "/sign-in/{token}", Access::Public, &[]),
    ("GET", "/unsubscribe/{token}", Access::Public, &[]),
    ("POST", "/unsubscribe/{token}", Access::Public, &[]),
    ("GET", "/admin/events/{id}/registrations.csv", Access::Organiser, &[]),
    ("GET", "/demos/runs/{id}/data.csv", Access::RunOwner, &[]),
    ("POST", "/demos/{demo}/upload", Access::Public, &[]),
    // Server functions.
    ("POST", "/api/load_home", Access::Public, &[]),
    ("POST", "/api/load_event", Access::Public, &[("id", "{event}")]),
    ("POST", "/api/load_series", Access::Public, &[("slug", "ok-tech-talk")]),
    ("POST", "/api/load_person", Access::Public, &[("id", "{person}")]),
    ("POST", "/api/load_paper", Access::Public, &[("id", "{paper}")]),
    ("POST", "/api/current_organiser", Access::Public, &[]),
    ("POST", "/api/sign_in", Access::Public, &[("email", "nobody@example.org"), ("password", "not a password")]),
    ("POST", "/api/sign_out", Access::Public, &[]),
    ("POST", "/api/load_dashboard", Access::Organiser, &[]),
    ("POST", "/api/load_event_editor", Access::Organiser, &[("id", "{event}")]),
    (
        "POST",
        "/api/save_event",
        Access::Organiser,
        &[
            ("form[series_id]", "{series}"),
            ("form[kind]", "meetup"),
            ("form[number]", ""),
            ("form[title]", "Authorised meetup"),
            ("form[description]", ""),
            ("form[date]", "2027-03-01"),
            ("form[start_time]", "18:00"),
            ("form[end_time]", "20:00"),
            ("form[time_zone]", ""),
            ("form[format]", "in_person"),
            ("form[venue_name]", "Orangery"),
            ("form[venue_address]", ""),
            ("form[capacity]", "10"),
            ("form[registration_mode]", "required"),
            ("form[programme]", ""),
        ],
    ),
    ("POST", "/api/change_event_status", Access::Organiser, &[("id", "{event}"), ("change", "publish")]),
    ("POST", "/api/load_series_editor", Access::Organiser, &[("id", "{series}")]),
    (
        "POST",
        "/api/save_series",
        Access::Organiser,
        &[
            ("form[slug]", "{slug_new}"),
            ("form[title]", "Authorised series"),
            ("form[description]", ""),
            ("form[time_zone]", "Europe/Moscow"),
            ("form[language]", "ru"),
            ("form[telegram_chat]", ""),
            ("form[reminder_minutes]", ""),
        ],
    ),
    ("POST", "/api/register", Access::Public, &[("event_id", "{event}"), ("name", "Ana"), ("email", "{email}")]),
    ("POST", "/api/load_ticket", Access::Public, &[("token", "{token}")]),
    ("POST", "/api/cancel_registration", Access::Public, &[("token", "{token}")]),
    ("POST", "/api/load_roster", Access::Organiser, &[("event_id", "{event}")]),
    ("POST", "/api/load_notifications", Access::Organiser, &[("event_id", "{event}")]),
    (
        "POST",
        "/api/notification_action",
        Access::Organiser,
        &[("event_id", "{event}"), ("id", "{notification}"), ("action", "retry")],
    ),
    ("POST", "/api/roster_action", Access::Organiser, &[("registration_id", "{registration}"), ("action", "cancel")]),
    ("POST", "/api/load_door", Access::Staff, &[("event_id", "{event}")]),
    ("POST", "/api/check_in_ticket", Access::Staff, &[("event_id", "{event}"), ("code", "ffffffff")]),
    ("POST", "/api/load_my_page", Access::Public, &[]),
    ("POST", "/api/link_telegram", Access::SignedIn, &[]),
    ("POST", "/api/request_sign_in_link", Access::Public, &[("email", "{email}")]),
    ("POST", "/api/load_door_events", Access::Staff, &[]),
    ("POST", "/api/load_demo_catalogue", Access::Public, &[]),
    ("POST", "/api/load_demo", Access::Public, &[("demo", "calibrated-ranking")]),
    ("POST", "/api/submit_demo", Access::Public, &[("demo", "calibrated-ranking"), ("params[seed]", "{email}")]),
    ("POST", "/api/load_demo_run", Access::Public, &[("id", "{run}")]),
    ("POST", "/api/demo_run_progress", Access::Public, &[("id", "{run}")]),
    ("POST", "/api/cancel_demo_run", Access::RunOwner, &[("id", "{run}")]),
];

/// Every (method, path) the running router serves, from the router's own lists.
fn inventory() -> BTreeSet<(String, String)> {
    let mut routes = BTreeSet::new();
    for listing in paperclub_server::startup::route_list() {
        routes.insert(("GET".to_owned(), axum_path(listing.path())));
    }
    for (path, method) in leptos::server_fn::axum::server_fn_paths() {
        routes.insert((method.to_string(), path.to_owned()));
    }
    for (path, method_router) in paperclub_server::web::edge_routes() {
        // A method router cannot be asked its methods; the table says them,
        // and a wrong one answers 405, which the test refuses.
        drop(method_router);
        let methods: Vec<&str> = TABLE.iter().filter(|row| row.1 == path).map(|row| row.0).collect();
        if methods.is_empty() {
            routes.insert(("?".to_owned(), path.to_owned()));
        }
        for method in methods {
            routes.insert((method.to_owned(), path.to_owned()));
        }
    }
    routes
}

/// `/events/:id` as axum writes it, `/events/{id}`.
fn axum_path(path: &str) -> String {
    path.split('/')
        .map(|segment| match segment.strip_prefix(':') {
            Some(name) => format!("{{{name}}}"),
            None => segment.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

struct Fixtures {
    event: i64,
    series: i64,
    person: i64,
    paper: i64,
    run: i64,
    token: String,
    registration: i64,
    notification: i64,
}

impl Fixtures {
    fn fill(&self, text: &str, path: &str) -> String {
        let id = if path.starts_with("/people/") {
            self.person
        } else if path.starts_with("/papers/") {
            self.paper
        } else if path.starts_with("/demos/runs/") {
            self.run
        } else if path.starts_with("/admin/series/") {
            self.series
        } else {
            self.event
        };
        text.replace("{id}", &id.to_string())
            .replace("{slug}", "ok-tech-talk")
            .replace("{demo}", "calibrated-ranking")
            .replace("{token}", &self.token)
            .replace("{event}", &self.event.to_string())
            .replace("{series}", &self.series.to_string())
            .replace("{person}", &self.person.to_string())
            .replace("{paper}", &self.paper.to_string())
            .replace("{run}", &self.run.to_string())
            .replace("{registration}", &self.registration.to_string())
            .replace("{notification}", &self.notification.to_string())
            .replace("{email}", &unique_email("authz"))
            .replace("{slug_new}", &format!("series-{}", rand_suffix()))
    }
}

/// Distinct slugs for each call: a few random digits.
fn rand_suffix() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos() as u64
}

async fn scalar(app: &TestApp, query: &str) -> i64 {
    sqlx::query_scalar(query).fetch_one(&app.pool).await.unwrap()
}

fn session_cookie(page: &Page) -> String {
    format!("paperclub_session={}", page.cookie("paperclub_session").expect("a session"))
}

/// The refusals the site gives: sent to sign in, 401 or 403 (404 for
/// someone else's run data, which answers as if there were none).
fn refused(page: &Page, access: Access) -> bool {
    matches!(page.status, 401 | 403)
        || page.location.as_deref().is_some_and(|to| to.contains("/admin/sign-in"))
        || page
            .headers
            .get("serverfnredirect")
            .is_some_and(|to| to.to_str().unwrap_or_default().contains("/admin/sign-in"))
        || (matches!(access, Access::RunOwner) && page.status == 404)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_answers_each_role_as_the_table_says() {
    let app = spawn_app().await;
    app.seed().await;
    // The accounts.
    let organiser = app.sign_in_as_organiser().await;
    paperclub_core::accounts::upsert_staff(
        &app.pool,
        "door@example.org",
        "Door",
        "a long door password",
        paperclub_core::accounts::Role::Checkin,
    )
    .await
    .unwrap();
    let door =
        app.post_form("/api/sign_in", "", &[("email", "door@example.org"), ("password", "a long door password")]).await;
    let checkin = session_cookie(&door);
    let member_email = unique_email("authz-member");
    let member = app.sign_in_as_member(&member_email).await;
    // What the routes act on.
    let event = app.open_event(Some(100), "online").await;
    let guest = unique_email("authz-guest");
    let applicant = paperclub_core::registrations::Applicant::parse("Guest", &guest).unwrap();
    paperclub_core::registrations::register(&app.pool, event, &applicant, app.clock.now()).await.unwrap();
    // A run whose data can be exported (GA-SATF rebuilds its generated data).
    let raw = [
        ("users", "200"),
        ("items", "60"),
        ("positions", "10"),
        ("rank_users", "8"),
        ("rank_items", "8"),
        ("svd_rank", "8"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let request = paperclub_core::demo_runs::Request { demo: "ga-satf", raw: &raw, dataset: None, visitor: None };
    let run = paperclub_core::demo_runs::submit(&app.pool, request, app.clock.now()).await.unwrap();
    let fixtures = Fixtures {
        event,
        series: scalar(&app, "SELECT min(id) FROM series").await,
        person: scalar(&app, "SELECT min(id) FROM people").await,
        paper: scalar(&app, "SELECT min(id) FROM papers").await,
        run,
        token: app.token_of(&guest).await,
        registration: scalar(&app, "SELECT min(id) FROM registrations").await,
        notification: scalar(&app, "SELECT min(id) FROM notifications").await,
    };

    // The table covers the router, and only the router.
    let served = inventory();
    let listed: BTreeSet<(String, String)> = TABLE.iter().map(|(m, p, ..)| (m.to_string(), p.to_string())).collect();
    let missing: Vec<_> = served.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&served).collect();
    assert!(missing.is_empty(), "routes without a line in the table: {missing:?}");
    assert!(stale.is_empty(), "lines for routes that do not exist: {stale:?}");

    // Signing out last: it ends the session it is called with.
    let mut rows: Vec<_> = TABLE.iter().collect();
    rows.sort_by_key(|(_, path, ..)| *path == "/api/sign_out");
    let mut wrong = Vec::new();
    for (method, path, access, args) in rows {
        let url = fixtures.fill(path, path);
        let fields: Vec<(String, String)> = args.iter().map(|(k, v)| (k.to_string(), fixtures.fill(v, path))).collect();
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        for role in ROLES {
            let cookie = match role {
                Role::Anonymous => "",
                Role::Member => &member,
                Role::Checkin => &checkin,
                Role::Organiser => &organiser,
            };
            let page = match *method {
                "GET" => app.get_with_cookie(&url, cookie).await,
                _ if path.starts_with("/api/") => app.call(&url, cookie, &fields).await,
                _ => app.post_form(&url, cookie, &fields).await,
            };
            let allowed = !refused(&page, *access);
            if page.status >= 500 || page.status == 405 || allowed != access.allows(role) {
                wrong.push(format!(
                    "{method} {path} as {role:?}: {} (expected {})",
                    page.status,
                    if access.allows(role) { "allowed" } else { "refused" }
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "answers that differ from the table:\n{}", wrong.join("\n"));
}
