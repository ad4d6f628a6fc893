//! Integration tests: the real router on a real database (SQLite, and PostgreSQL when
//! `RETI_TEST_DATABASE_URL` is set), one test per engine.

mod builders;
mod harness;

mod access;
mod api;
mod auth;
mod custom_indicators;
mod districts;
mod documents;
mod editions;
mod extract;
mod frontend;
mod funder;
mod groups;
mod hardening;
mod hostile;
mod house;
mod import_stream;
mod importfix;
mod indicators;
mod jobs;
mod labs;
mod labscope;
mod mail;
mod map;
mod mapexport;
mod matrix;
mod meetbench;
mod meetfix;
mod meetfix2;
mod meetings;
mod pages;
mod practice_images;
mod practices;
mod reading;
mod registry;
mod scope;
mod speed;
mod speed_pages;
mod statements;
mod sustain;
mod threads;
mod ties;
mod validate;
mod write;
