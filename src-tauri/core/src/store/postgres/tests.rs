use super::*;

#[test]
fn the_password_never_leaves_the_url() {
    for (url, shown) in [
        ("postgres://ana:s3cret@db.example.com:5432/seatdesk", "postgres://ana@db.example.com:5432/seatdesk"),
        ("postgresql://ana:s3cret@db.example.com/seatdesk?sslmode=require", "postgresql://ana@db.example.com/seatdesk?sslmode=require"),
        ("postgres://db.example.com/seatdesk?password=s3cret&sslmode=require", "postgres://db.example.com/seatdesk?sslmode=require"),
        ("postgresql://postgres@/seatdesk?host=/tmp/x", "postgresql://postgres@/seatdesk?host=/tmp/x"),
        ("host=/tmp/x user=ana password=s3cret dbname=seatdesk", "host=/tmp/x user=ana dbname=seatdesk"),
        ("host=/tmp/x dbname=s1 user=postgres password = Sekr1tN", "host=/tmp/x dbname=s1 user=postgres"),
        ("host=/tmp/x password='Sekr1t B' user=ana", "host=/tmp/x user=ana"),
        ("host=/tmp/x password=Sekr1t\\ J user=ana", "host=/tmp/x user=ana"),
        ("host=/tmp/x PASSWORD=abc sslpassword=def user=ana", "host=/tmp/x user=ana"),
        ("postgres://ana@db/seatdesk?PASSWORD=abc&sslpassword=def&sslmode=require", "postgres://ana@db/seatdesk?sslmode=require"),
        ("postgres://ana:pw@db", "postgres://ana@db"),
    ] {
        assert_eq!(without_password(url), shown);
    }
}

#[test]
fn a_url_that_is_not_one_is_refused_by_its_code() {
    for url in ["postgres://ana:Zq9Secret@host:notaport/db", "postgres://ana@host/db?PASSWORD=Zq9Secret&nonsense=1", "host=x password=Zq9Secret port=nope"] {
        let e = PgConn::connect(url).err().expect("refused");
        assert_eq!(e.code, ErrorCode::InvalidDatabaseUrl, "{url}");
        assert!(!e.message.contains("Zq9Secret") && !e.details.unwrap().to_string().contains("Zq9Secret"), "{}", e.message);
    }
}

#[test]
fn a_server_that_does_not_answer_is_server_unavailable() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("postgresql://nobody:Zq9Secret@/seatdesk?host={}&connect_timeout=2", dir.path().display());
    let e = PgConn::connect(&url).err().expect("refused");
    assert_eq!(e.code, ErrorCode::ServerUnavailable);
    assert!(!e.message.contains("Zq9Secret"), "{}", e.message);
}

/// The server the tests may use (`SEATDESK_TEST_DATABASE_URL`), if any.
fn server() -> Option<String> {
    std::env::var("SEATDESK_TEST_DATABASE_URL").ok().filter(|u| !u.trim().is_empty())
}

fn fresh_schema() -> String {
    format!("schema_test_{}_{}", std::process::id(), fastrand::u32(..))
}

#[test]
fn migrating_twice_changes_nothing_and_a_newer_schema_is_refused() {
    let Some(url) = server() else { return };
    let schema = fresh_schema();
    let mut conn = PgConn::connect_with(&url, None, Some(&schema)).unwrap();
    assert_eq!(migrate(conn.client()).unwrap(), SCHEMA_VERSION, "already at the latest");
    let problems = conn.transaction(false, |tx| tx.storage_problems(crate::store::FileScan::Full)).unwrap();
    assert_eq!(problems, vec![]);
    conn.client().batch_execute("INSERT INTO seatdesk_migration (version) VALUES (999)").unwrap();
    let e = PgConn::connect_with(&url, None, Some(&schema)).err().expect("refused");
    assert_eq!(e.code, ErrorCode::DatabaseTooNew);
}

#[test]
fn a_dropped_or_foreign_trigger_is_a_storage_problem() {
    let Some(url) = server() else { return };
    let mut conn = PgConn::connect_with(&url, None, Some(&fresh_schema())).unwrap();
    conn.client()
        .batch_execute(
            "ALTER TABLE ledger DISABLE TRIGGER ledger_append_only;
             CREATE FUNCTION quiet() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
             CREATE TRIGGER quiet BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION quiet();",
        )
        .unwrap();
    let problems: Vec<String> = conn.transaction(false, |tx| tx.storage_problems(crate::store::FileScan::Full)).unwrap().into_iter().map(|p| p.1).collect();
    assert_eq!(problems, ["missing or disabled trigger ledger_append_only on ledger", "unexpected trigger quiet on audit"]);
}
