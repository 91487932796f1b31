//! Integration tests: the real router on a free port, a fresh PostgreSQL
//! database per test, requests over HTTP.

mod authorisation;
mod calendar;
mod citations;
mod crash;
mod demo_runs;
mod demo_worker_process;
mod feeds;
mod health;
mod helpers;
mod hostile_input;
mod language;
mod organisers;
mod outbox;
mod pages;
mod registrations;
mod retention;
mod sign_in;
mod telegram;
mod telegram_chat;
