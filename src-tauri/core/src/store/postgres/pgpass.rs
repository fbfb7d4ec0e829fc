//! Where a login's password comes from when the URL has none, as `psql`
//! finds it: `PGPASSWORD`, then the password file (`PGPASSFILE`, else
//! `~/.pgpass`, read only when no one else may read it). Seatdesk never
//! stores a password itself.

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use postgres::config::Host;
use postgres::Config;

/// Fills in the password of `config` when it has none and one is found.
pub fn fill_password(config: &mut Config) {
    if config.get_password().is_some() {
        return;
    }
    if let Ok(password) = std::env::var("PGPASSWORD") {
        config.password(password);
        return;
    }
    let Some(file) = std::env::var_os("PGPASSFILE").map(PathBuf::from).or_else(|| dirs::home_dir().map(|h| h.join(".pgpass"))) else {
        return;
    };
    let Ok(meta) = std::fs::metadata(&file) else {
        return;
    };
    // psql ignores a password file others may read; so does Seatdesk.
    if meta.permissions().mode() & 0o077 != 0 {
        return;
    }
    let Ok(text) = std::fs::read_to_string(&file) else {
        return;
    };
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(name)) => name.clone(),
        Some(Host::Unix(path)) if path.display().to_string() != "/var/run/postgresql" => path.display().to_string(),
        _ => "localhost".to_string(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432).to_string();
    let user = config.get_user().unwrap_or_default().to_string();
    let database = config.get_dbname().unwrap_or(&user).to_string();
    if let Some(password) = lookup(&text, [&host, &port, &database, &user]) {
        config.password(password);
    }
}

/// The password of the first line of a password file matching `wanted`
/// (host, port, database, user); `*` matches anything, `\:` and `\\` are
/// a colon and a backslash.
fn lookup(text: &str, wanted: [&str; 4]) -> Option<String> {
    text.lines().filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty()).find_map(|line| {
        let fields = split_fields(line);
        if fields.len() != 5 {
            return None;
        }
        let matches = fields.iter().zip(wanted).all(|(field, want)| field == "*" || field == want);
        matches.then(|| fields[4].clone())
    })
}

fn split_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    fields.last_mut().expect("one field").push(next);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => fields.last_mut().expect("one field").push(c),
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_matching_line_gives_the_password() {
        let file = "# team server\n\
                    db.example.com:5432:seatdesk:ana:first\n\
                    *:*:*:ben:pass\\:word\n\
                    *:*:*:*:fallback\n";
        assert_eq!(lookup(file, ["db.example.com", "5432", "seatdesk", "ana"]).as_deref(), Some("first"));
        assert_eq!(lookup(file, ["other", "5432", "seatdesk", "ben"]).as_deref(), Some("pass:word"));
        assert_eq!(lookup(file, ["other", "5433", "x", "carla"]).as_deref(), Some("fallback"));
        assert_eq!(lookup("db:5432:seatdesk:ana:pw\n", ["db", "5432", "other", "ana"]), None);
    }
}
