//! SQLite backend (filled in by the database issue).
