//! The trust rules through the CLI as a process: who may transfer
//! ownership and restore, what a restore leaves in the audit log, a crafted
//! backup, the clock's horizon, and private files.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use serde_json::Value;

mod common;
use common::{json, ok, refused, seatdesk};

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Acme with an Admin, a Manager and a Member, all Active.
fn acme(dir: &Path) {
    ok(dir, &["account", "create", "--name", "Acme", "--owner-email", "olivia@acme.example.com", "--owner-name", "Olivia Owner"]);
    ok(dir, &["inboxes", "create", "Sales"]);
    ok(dir, &["seats", "buy", "3", "--yes"]);
    for (email, role) in [("ad@example.com", "admin"), ("man@example.com", "manager"), ("mia@example.com", "member")] {
        ok(dir, &["members", "invite", email, "--role", role, "--inbox", "Sales"]);
        ok(dir, &["members", "accept", email]);
    }
}

fn last_audit(dir: &Path) -> Value {
    ok(dir, &["audit", "--limit", "1"])[0].clone()
}

#[test]
fn a_member_or_manager_cannot_make_anyone_owner_even_in_support_mode() {
    let d = tempfile::tempdir().unwrap();
    acme(d.path());
    for who in ["mia@example.com", "man@example.com"] {
        let code = refused(d.path(), &["--as", who, "owner", "transfer", "--to", who, "--support-agent", "x", "--ticket", "T-1"]);
        assert_eq!(code, "not_permitted", "{who}");
    }
    let owner = ok(d.path(), &["members", "--role", "owner"]);
    assert_eq!(owner[0]["email"], "olivia@acme.example.com");
    // Asked by an Admin, carried out by support: allowed and attributed.
    ok(d.path(), &["--as", "ad@example.com", "owner", "transfer", "--to", "mia@example.com", "--support-agent", "Sam", "--ticket", "T-1042"]);
    let entry = last_audit(d.path());
    assert_eq!(entry["action"], "owner.transfer");
    let details = &entry["details"];
    assert_eq!((details["ticket"].as_str(), details["support_agent"].as_str()), (Some("T-1042"), Some("Sam")), "{details}");
    assert_eq!(details["acting_member"]["email"], "ad@example.com", "{details}");
}

#[test]
fn acting_as_someone_is_recorded_in_each_entry_and_a_refusal_changes_nothing() {
    let d = tempfile::tempdir().unwrap();
    acme(d.path());
    let before = ok(d.path(), &["audit", "verify"]);
    ok(d.path(), &["--as", "MAN@example.com", "members"]);
    assert_eq!(ok(d.path(), &["audit", "verify"]), before, "a read with --as writes nothing");
    ok(d.path(), &["--as", "man@example.com", "inboxes", "create", "Night"]);
    let entry = last_audit(d.path());
    assert_eq!((entry["action"].as_str(), entry["actor_email"].as_str()), (Some("inbox.create"), Some("man@example.com")));
    assert_eq!(entry["details"]["acting_via"], "cli --as", "{entry}");
    // A refused command with --as leaves the file byte for byte as it was.
    let db = d.path().join("seatdesk.db");
    let _ = ok(d.path(), &["check"]);
    let bytes = fs::read(&db).unwrap();
    assert_eq!(refused(d.path(), &["--as", "mia@example.com", "seats", "buy", "1", "--yes"]), "not_permitted");
    assert_eq!(fs::read(&db).unwrap(), bytes);
}

#[test]
fn only_the_owner_restores_and_the_restore_is_audited() {
    let d = tempfile::tempdir().unwrap();
    acme(d.path());
    let backup = d.path().join("backup.db");
    let info = ok(d.path(), &["backup", backup.to_str().unwrap()]);
    assert_eq!(mode(&backup), 0o600);
    let noted = &info["audit"][0];
    assert!(noted["head"].as_str().unwrap().len() == 64 && noted["entries"].as_i64().unwrap() > 5);
    ok(d.path(), &["seats", "buy", "2", "--yes"]);

    // A Manager (or an Admin) cannot rewind the books: refused, file untouched.
    let db = d.path().join("seatdesk.db");
    let _ = ok(d.path(), &["check"]);
    let before = fs::read(&db).unwrap();
    for who in ["man@example.com", "ad@example.com"] {
        let out = seatdesk(d.path(), &["--json", "--as", who, "restore", backup.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(json(&out)["error"]["code"], "not_permitted", "{who}");
    }
    assert_eq!(fs::read(&db).unwrap(), before, "the database is byte for byte unchanged");

    let head_before = ok(d.path(), &["audit", "verify"])["head"].as_str().unwrap().to_string();
    let restored = ok(d.path(), &["restore", backup.to_str().unwrap()]);
    assert_eq!(restored["replaced_audit"][0]["head"], head_before.as_str());
    assert_eq!(mode(Path::new(restored["previous_saved_as"].as_str().unwrap())), 0o600);
    let entry = last_audit(d.path());
    assert_eq!((entry["action"].as_str(), entry["actor_email"].as_str()), (Some("db.restore"), Some("olivia@acme.example.com")));
    assert!(entry["details"].to_string().contains(&head_before), "{entry}");
    let verdict = ok(d.path(), &["audit", "verify"]);
    assert_eq!(verdict["entries"].as_i64(), Some(noted["entries"].as_i64().unwrap() + 1));
    // The head noted before the restore is gone from the chain: detected.
    assert_eq!(refused(d.path(), &["audit", "verify", "--expect-head", &head_before]), "invariant_violated");
    // The head the backup noted is still in it.
    ok(d.path(), &["audit", "verify", "--expect-head", noted["head"].as_str().unwrap()]);
    ok(d.path(), &["check"]);
}

#[test]
fn a_backup_carrying_its_own_trigger_is_refused_and_nothing_changes() {
    let d = tempfile::tempdir().unwrap();
    acme(d.path());
    let backup = d.path().join("crafted.db");
    ok(d.path(), &["backup", backup.to_str().unwrap()]);
    rusqlite::Connection::open(&backup)
        .unwrap()
        .execute_batch("CREATE TRIGGER wipe AFTER INSERT ON audit BEGIN DELETE FROM ledger; END;")
        .unwrap();
    let db = d.path().join("seatdesk.db");
    let before = fs::read(&db).unwrap();
    let out = seatdesk(d.path(), &["--json", "restore", backup.to_str().unwrap()]);
    let doc = json(&out);
    assert_eq!(doc["error"]["code"], "database_corrupt");
    assert!(doc["error"]["details"]["unexpected"].to_string().contains("wipe"), "{doc}");
    assert_eq!(fs::read(&db).unwrap(), before, "the database is byte for byte unchanged");
}

#[test]
fn a_date_ten_years_ahead_is_refused_and_books_nothing() {
    let d = tempfile::tempdir().unwrap();
    acme(d.path());
    let ledger = ok(d.path(), &["ledger"]);
    let far = (chrono::Local::now().date_naive() + chrono::Months::new(120)).to_string();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_seatdesk"))
        .arg("--data-dir")
        .arg(d.path())
        .args(["--json", "--today", &far, "seats"])
        .env_remove("SEATDESK_TODAY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc = json(&out);
    assert_eq!(doc["error"]["code"], "invalid_date");
    assert_eq!(doc["error"]["details"]["computer_date"], chrono::Local::now().date_naive().to_string());
    assert_eq!(ok(d.path(), &["ledger"]), ledger, "no renewal was booked");
    // The same through SEATDESK_TODAY.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_seatdesk"))
        .arg("--data-dir")
        .arg(d.path())
        .args(["--json", "seats"])
        .env("SEATDESK_TODAY", &far)
        .output()
        .unwrap();
    assert_eq!(json(&out)["error"]["code"], "invalid_date");
    // Given deliberately, it is accepted.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_seatdesk"))
        .arg("--data-dir")
        .arg(d.path())
        .args(["--json", "--today", &far, "--allow-future-date", "seats"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn the_data_folder_database_backups_and_exports_are_private() {
    let root = tempfile::tempdir().unwrap();
    let d = root.path().join("data");
    acme(&d);
    assert_eq!(mode(&d), 0o700);
    for f in ["seatdesk.db", "seatdesk.db-wal", "seatdesk.db-shm"] {
        if d.join(f).exists() {
            assert_eq!(mode(&d.join(f)), 0o600, "{f}");
        }
    }
    let backup = root.path().join("b.db");
    ok(&d, &["backup", backup.to_str().unwrap()]);
    assert_eq!(mode(&backup), 0o600);
    let csv = root.path().join("members.csv");
    fs::write(&csv, "old").unwrap();
    fs::set_permissions(&csv, fs::Permissions::from_mode(0o644)).unwrap();
    let out = ok(&d, &["export", "members", "--out", csv.to_str().unwrap()]);
    assert_eq!(mode(&csv), 0o600, "an export over an existing file is private too");
    assert_eq!(out["audit_head"].as_str().map(str::len), Some(64), "an export notes the audit head");
    // A folder and database left loose by an older Seatdesk are tightened, and said so.
    fs::set_permissions(&d, fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(d.join("seatdesk.db"), fs::Permissions::from_mode(0o644)).unwrap();
    let out = seatdesk(&d, &["seats"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("tightened"), "{stderr}");
    assert_eq!((mode(&d), mode(&d.join("seatdesk.db"))), (0o700, 0o600));
}
