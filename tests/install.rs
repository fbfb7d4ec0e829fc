//! The packaged `.deb`, installed into a temporary root with `dpkg-deb -x`:
//! its files, its dependencies, the installed CLI on a temp data dir, and the
//! installed window showing the first-run screen through WebDriver.
//! Needs `scripts/package.sh` first (the README's test command runs it).

mod webdriver;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

fn newest(dir: &Path, ext: &str) -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|_| panic!("{} is missing: run scripts/package.sh first", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    found.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    found.pop().unwrap_or_else(|| panic!("no .{ext} in {}: run scripts/package.sh first", dir.display()))
}

fn bundles() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/bundle")
}

#[test]
fn the_deb_installs_and_its_cli_and_window_run() {
    let deb = newest(&bundles().join("deb"), "deb");
    let fields = Command::new("dpkg-deb").args(["-f"]).arg(&deb).args(["Package", "Version", "Depends", "Section"]).output().unwrap();
    let fields = String::from_utf8(fields.stdout).unwrap();
    assert!(fields.contains("Package: seatdesk"), "{fields}");
    assert!(fields.contains(&format!("Version: {}", env!("CARGO_PKG_VERSION"))), "{fields}");
    assert!(fields.contains("libwebkit2gtk-4.1"), "the package depends on WebKitGTK: {fields}");

    let root = tempfile::tempdir().unwrap();
    assert!(Command::new("dpkg-deb").arg("-x").arg(&deb).arg(root.path()).status().unwrap().success());
    let bin = root.path().join("usr/bin/seatdesk");
    assert!(bin.exists(), "the binary is installed as /usr/bin/seatdesk");
    let apps = root.path().join("usr/share/applications");
    let desktop = std::fs::read_dir(&apps).unwrap().filter_map(|e| e.ok()).find(|e| e.path().extension().is_some_and(|x| x == "desktop")).expect("a desktop entry");
    let entry = std::fs::read_to_string(desktop.path()).unwrap();
    assert!(entry.contains("Exec=seatdesk") && entry.contains("Name=Seatdesk"), "{entry}");
    for size in ["32x32", "128x128", "256x256@2"] {
        let icon = root.path().join(format!("usr/share/icons/hicolor/{size}/apps/seatdesk.png"));
        assert!(icon.exists(), "{} is installed", icon.display());
    }

    // The test hooks (file dialogs and native confirmations answered from
    // the environment) exist only in `e2e` builds: not in the package.
    let bytes = std::fs::read(&bin).unwrap();
    for hook in ["SEATDESK_DIALOG_PATH", "SEATDESK_CONFIRM_FILE", "test hook: a panic"] {
        assert!(!bytes.windows(hook.len()).any(|w| w == hook.as_bytes()), "the installed binary contains the test hook {hook}");
    }
    // (The same scan does find a variable the release build reads.)
    assert!(bytes.windows(14).any(|w| w == b"SEATDESK_TODAY"), "the scan can find an environment variable's name");

    // The installed CLI on a temp data dir.
    let data = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(&bin).arg("--json").arg("--data-dir").arg(data.path()).args(["--today", "2026-11-16"]).args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stdout));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    run(&["account", "create", "--name", "Acme", "--owner-email", "o@acme.example.com", "--owner-name", "Olivia"]);
    let seats = run(&["seats"]);
    assert_eq!((seats["included"].as_i64(), seats["purchased"].as_i64()), (Some(1), Some(0)));

    // The installed window, on a fresh data dir: the first-run screen.
    let fresh = tempfile::tempdir().unwrap();
    let driver = webdriver::Driver::start(fresh.path(), "2026-11-16");
    let session = driver.session(bin.to_str().unwrap());
    session.wait_for("#create-account-form", Duration::from_secs(20));
    session.wait_for("#open-demo", Duration::from_secs(5));
    session.screenshot("installed-first-run");
}

#[test]
fn the_rpm_is_built_too() {
    let rpm = newest(&bundles().join("rpm"), "rpm");
    let bytes = std::fs::read(&rpm).unwrap();
    assert_eq!(&bytes[..4], &[0xed, 0xab, 0xee, 0xdb], "an RPM lead");
    assert!(bytes.len() > 1_000_000, "the package holds the binary");
    let name = rpm.file_name().unwrap().to_string_lossy().to_string();
    assert!(name.starts_with(&format!("seatdesk-{}", env!("CARGO_PKG_VERSION"))) || name.starts_with("Seatdesk"), "{name}");
}
