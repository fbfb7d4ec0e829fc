//! Copying one account, every row of it, from one store to another (the
//! local file to a shared server and back: `seatdesk migrate`). Both stores
//! hold the same tables and columns; ids are new in the target, and every
//! reference follows its row. The audit chain hashes no id, so it verifies
//! in the target as it did in the source. Counts kept by triggers (members
//! by role, inboxes per member) are rebuilt by the target's own triggers.

use std::collections::HashMap;

use super::Db;
use crate::error::{Error, ErrorCode, Result};

/// What a column holds: a plain value, a boolean (an integer in SQLite),
/// or the id of a row of another copied table.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Col {
    Plain,
    Bool,
    Account,
    Member,
    Inbox,
    Group,
    Contact,
}

/// One copied table: its columns (besides `id`), whether its rows have an
/// `id` others refer to (and as what), and which rows are the account's.
struct Table {
    name: &'static str,
    id: Option<Col>,
    columns: &'static [(&'static str, Col)],
    rows_of_account: &'static str,
}

const OF_ACCOUNT: &str = "account_id = $1";
const OF_INBOXES: &str = "inbox_id IN (SELECT id FROM inbox WHERE account_id = $1)";

/// In dependency order: a row's references are copied before it.
const TABLES: &[Table] = &[
    Table {
        name: "account",
        id: Some(Col::Account),
        columns: &[
            ("name", Col::Plain),
            ("name_key", Col::Plain),
            ("currency", Col::Plain),
            ("billing_period", Col::Plain),
            ("renews_on", Col::Plain),
            ("seat_price_cents", Col::Plain),
            ("number_price_cents", Col::Plain),
            ("purchased_seats", Col::Plain),
            ("created_at", Col::Plain),
            ("renewal_day", Col::Plain),
            ("began_on", Col::Plain),
            ("period_start", Col::Plain),
            ("next_billing_period", Col::Plain),
            ("next_seat_price_cents", Col::Plain),
            ("next_number_price_cents", Col::Plain),
            ("next_currency", Col::Plain),
            ("next_renews_on", Col::Plain),
        ],
        rows_of_account: "id = $1",
    },
    Table {
        name: "member",
        id: Some(Col::Member),
        columns: &[
            ("account_id", Col::Account),
            ("email", Col::Plain),
            ("email_key", Col::Plain),
            ("name", Col::Plain),
            ("role", Col::Plain),
            ("status", Col::Plain),
            ("invited_on", Col::Plain),
            ("joined_on", Col::Plain),
            ("resend_count", Col::Plain),
            ("last_sent_at", Col::Plain),
            ("invited_by", Col::Plain),
            ("created_at", Col::Plain),
            ("name_sort", Col::Plain),
        ],
        rows_of_account: OF_ACCOUNT,
    },
    Table {
        name: "inbox",
        id: Some(Col::Inbox),
        columns: &[
            ("account_id", Col::Account),
            ("name", Col::Plain),
            ("name_key", Col::Plain),
            ("number", Col::Plain),
            ("owner_id", Col::Member),
            ("created_at", Col::Plain),
            ("created_for_member_id", Col::Member),
        ],
        rows_of_account: OF_ACCOUNT,
    },
    Table { name: "inbox_member", id: None, columns: &[("inbox_id", Col::Inbox), ("member_id", Col::Member)], rows_of_account: OF_INBOXES },
    Table {
        name: "routing",
        id: None,
        columns: &[
            ("inbox_id", Col::Inbox),
            ("round_robin", Col::Bool),
            ("default_assignee_id", Col::Member),
            ("rr_last_member_id", Col::Member),
            ("ring_strategy", Col::Plain),
            ("ring_seconds", Col::Plain),
            ("fallthrough", Col::Plain),
            ("ivr_greeting", Col::Plain),
            ("rr_after", Col::Plain),
        ],
        rows_of_account: OF_INBOXES,
    },
    Table { name: "assignment_member", id: None, columns: &[("inbox_id", Col::Inbox), ("member_id", Col::Member)], rows_of_account: OF_INBOXES },
    Table { name: "ring_group_member", id: None, columns: &[("inbox_id", Col::Inbox), ("member_id", Col::Member)], rows_of_account: OF_INBOXES },
    Table {
        name: "distribution_group",
        id: Some(Col::Group),
        columns: &[("inbox_id", Col::Inbox), ("position", Col::Plain), ("strategy", Col::Plain), ("ring_seconds", Col::Plain)],
        rows_of_account: OF_INBOXES,
    },
    Table {
        name: "distribution_member",
        id: None,
        columns: &[("group_id", Col::Group), ("member_id", Col::Member)],
        rows_of_account: "group_id IN (SELECT g.id FROM distribution_group g JOIN inbox i ON i.id = g.inbox_id WHERE i.account_id = $1)",
    },
    Table {
        name: "ivr_option",
        id: None,
        columns: &[("inbox_id", Col::Inbox), ("digit", Col::Plain), ("target", Col::Plain), ("member_id", Col::Member), ("group_position", Col::Plain)],
        rows_of_account: OF_INBOXES,
    },
    Table {
        name: "contact",
        id: Some(Col::Contact),
        columns: &[("account_id", Col::Account), ("name", Col::Plain), ("phone", Col::Plain), ("owner_id", Col::Member), ("created_at", Col::Plain)],
        rows_of_account: OF_ACCOUNT,
    },
    Table {
        name: "conversation",
        id: None,
        columns: &[
            ("account_id", Col::Account),
            ("inbox_id", Col::Inbox),
            ("contact_id", Col::Contact),
            ("assignee_id", Col::Member),
            ("status", Col::Plain),
            ("last_activity", Col::Plain),
        ],
        rows_of_account: OF_ACCOUNT,
    },
    Table {
        name: "ledger",
        id: None,
        columns: &[
            ("account_id", Col::Account),
            ("date", Col::Plain),
            ("kind", Col::Plain),
            ("quantity", Col::Plain),
            ("unit_cents", Col::Plain),
            ("amount_cents", Col::Plain),
            ("actor_email", Col::Plain),
            ("actor_name", Col::Plain),
            ("note", Col::Plain),
            ("seats_after", Col::Plain),
            ("assigned_after", Col::Plain),
            ("created_at", Col::Plain),
            ("currency", Col::Plain),
        ],
        rows_of_account: OF_ACCOUNT,
    },
    Table {
        name: "audit",
        id: None,
        columns: &[
            ("account_id", Col::Account),
            ("at", Col::Plain),
            ("business_date", Col::Plain),
            ("actor_email", Col::Plain),
            ("actor_name", Col::Plain),
            ("action", Col::Plain),
            ("target", Col::Plain),
            ("details", Col::Plain),
            ("prev_hash", Col::Plain),
            ("hash", Col::Plain),
            ("login", Col::Plain),
        ],
        rows_of_account: OF_ACCOUNT,
    },
    Table {
        name: "plan_period",
        id: None,
        columns: &[
            ("account_id", Col::Account),
            ("starts_on", Col::Plain),
            ("ends_on", Col::Plain),
            ("billing_period", Col::Plain),
            ("renewal_day", Col::Plain),
            ("seat_price_cents", Col::Plain),
            ("number_price_cents", Col::Plain),
            ("currency", Col::Plain),
        ],
        rows_of_account: OF_ACCOUNT,
    },
];

/// A stored value, as both stores hold it.
#[derive(Clone, Debug, PartialEq)]
enum Val {
    Null,
    Int(i64),
    Text(String),
}

/// One table's rows of the account: `id` (when it has one) then its columns.
struct Rows {
    ids: Vec<i64>,
    values: Vec<Vec<Val>>,
}

/// How many rows of each table an account holds (a dry run) or were copied.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
pub struct TableCount {
    pub table: String,
    #[specta(type = specta_typescript::Number)]
    pub rows: i64,
}

fn select_sql(t: &Table, sqlite: bool) -> String {
    let cols: Vec<&str> = t.columns.iter().map(|c| c.0).collect();
    let id = if t.id.is_some() { "id, " } else { "" };
    let order = if t.id.is_some() || t.name == "ledger" || t.name == "audit" || t.name == "conversation" {
        " ORDER BY id"
    } else {
        ""
    };
    let filter = if sqlite { t.rows_of_account.replace("$1", "?1") } else { t.rows_of_account.to_string() };
    format!("SELECT {id}{} FROM {} WHERE {filter}{order}", cols.join(", "), t.name)
}

fn read_all(db: &mut Db, account: i64) -> Result<Vec<Rows>> {
    let mut out = Vec::new();
    match db {
        Db::Sqlite(conn) => {
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Deferred)?;
            for t in TABLES {
                let mut stmt = tx.prepare(&select_sql(t, true))?;
                let offset = usize::from(t.id.is_some());
                let mut rows = stmt.query([account])?;
                let mut read = Rows { ids: Vec::new(), values: Vec::new() };
                while let Some(r) = rows.next()? {
                    if t.id.is_some() {
                        read.ids.push(r.get(0)?);
                    }
                    let mut values = Vec::with_capacity(t.columns.len());
                    for i in 0..t.columns.len() {
                        values.push(match r.get_ref(i + offset)? {
                            rusqlite::types::ValueRef::Null => Val::Null,
                            rusqlite::types::ValueRef::Integer(n) => Val::Int(n),
                            rusqlite::types::ValueRef::Text(s) => Val::Text(String::from_utf8_lossy(s).into_owned()),
                            other => return Err(Error::internal(format!("{}: an unexpected stored value {other:?}", t.name))),
                        });
                    }
                    read.values.push(values);
                }
                out.push(read);
            }
            tx.finish()?;
        }
        Db::Postgres(pg) => {
            let mut tx = pg.client().build_transaction().isolation_level(postgres::IsolationLevel::RepeatableRead).read_only(true).start()?;
            for t in TABLES {
                let offset = usize::from(t.id.is_some());
                let mut read = Rows { ids: Vec::new(), values: Vec::new() };
                for r in tx.query(&select_sql(t, false), &[&account])? {
                    if t.id.is_some() {
                        read.ids.push(r.try_get(0)?);
                    }
                    let mut values = Vec::with_capacity(t.columns.len());
                    for (i, (_, kind)) in t.columns.iter().enumerate() {
                        let i = i + offset;
                        values.push(if *kind == Col::Bool {
                            r.try_get::<_, Option<bool>>(i)?.map_or(Val::Null, |b| Val::Int(i64::from(b)))
                        } else if *r.columns()[i].type_() == postgres::types::Type::TEXT {
                            r.try_get::<_, Option<String>>(i)?.map_or(Val::Null, Val::Text)
                        } else {
                            r.try_get::<_, Option<i64>>(i)?.map_or(Val::Null, Val::Int)
                        });
                    }
                    read.values.push(values);
                }
                out.push(read);
            }
            tx.commit()?;
        }
    }
    Ok(out)
}

/// The id of `name`'s account in `db`, if it holds one.
pub fn account_id_named(db: &mut Db, name: &str) -> Result<Option<i64>> {
    let key = crate::domain::text::name_key(name);
    match db {
        Db::Sqlite(conn) => {
            use rusqlite::OptionalExtension;
            Ok(conn.query_row("SELECT id FROM account WHERE name_key = ?1", [&key], |r| r.get(0)).optional()?)
        }
        Db::Postgres(pg) => Ok(pg.client().query_opt("SELECT id FROM account WHERE name_key = $1", &[&key])?.map(|r| r.get(0))),
    }
}

/// Copies account `account` of `from` into `to`, in one transaction of
/// `to`; refuses when `to` holds an account of that name already.
/// Returns the new account's id in `to` and the rows copied per table.
/// With `commit` false (a dry run) the copy is made and rolled back: every
/// refusal the target would give is given, and nothing stays.
pub fn copy_account(from: &mut Db, account: i64, to: &mut Db, commit: bool) -> Result<(i64, Vec<TableCount>)> {
    let rows = read_all(from, account)?;
    let name = match rows[0].values.first().and_then(|v| v.first()) {
        Some(Val::Text(name)) => name.clone(),
        _ => return Err(Error::not_found("account", &account.to_string())),
    };
    if account_id_named(to, &name)?.is_some() {
        return Err(Error::new(
            ErrorCode::DuplicateAccount,
            format!("The target already holds an account named {name:?}; nothing was copied."),
        )
        .with_details(serde_json::json!({ "account": name })));
    }
    let counts = TABLES.iter().zip(&rows).map(|(t, r)| TableCount { table: t.name.to_string(), rows: r.values.len() as i64 }).collect();
    let new_account = match to {
        Db::Sqlite(conn) => {
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let id = write_all(&rows, |sql, values| {
                let mut stmt = tx.prepare_cached(&sql.replace('$', "?"))?;
                let params: Vec<rusqlite::types::Value> = values
                    .iter()
                    .map(|v| match v {
                        Val::Null => rusqlite::types::Value::Null,
                        Val::Int(n) => rusqlite::types::Value::Integer(*n),
                        Val::Text(s) => rusqlite::types::Value::Text(s.clone()),
                    })
                    .collect();
                if sql.ends_with("RETURNING id") {
                    Ok(Some(stmt.query_row(rusqlite::params_from_iter(params), |r| r.get(0))?))
                } else {
                    stmt.execute(rusqlite::params_from_iter(params))?;
                    Ok(None)
                }
            })?;
            // The file's search index learns the new members at once.
            tx.execute_batch("INSERT INTO member_fts(member_fts) VALUES ('rebuild')")?;
            if commit {
                tx.commit()?;
            } else {
                tx.rollback()?;
            }
            id
        }
        Db::Postgres(pg) => {
            let client = pg.client();
            let mut tx = client.transaction()?;
            let mut prepared: HashMap<String, postgres::Statement> = HashMap::new();
            let id = write_all(&rows, |sql, values| {
                let statement = match prepared.get(sql) {
                    Some(s) => s.clone(),
                    None => {
                        let s = tx.prepare(sql)?;
                        prepared.insert(sql.to_string(), s.clone());
                        s
                    }
                };
                let params: Vec<PgVal> = values.iter().map(|v| PgVal(v.clone())).collect();
                let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = params.iter().map(|p| p as _).collect();
                if sql.ends_with("RETURNING id") {
                    Ok(Some(tx.query_one(&statement, &refs)?.try_get(0)?))
                } else {
                    tx.execute(&statement, &refs)?;
                    Ok(None)
                }
            })?;
            if commit {
                tx.commit()?;
            } else {
                tx.rollback()?;
            }
            id
        }
    };
    Ok((new_account, counts))
}

/// Inserts every row through `insert(sql, values)` (which returns the new
/// id when the SQL ends in `RETURNING id`), mapping references as it goes;
/// returns the new account's id.
fn write_all(rows: &[Rows], mut insert: impl FnMut(&str, &[Val]) -> Result<Option<i64>>) -> Result<i64> {
    let mut ids: HashMap<(Col, i64), i64> = HashMap::new();
    for (t, read) in TABLES.iter().zip(rows) {
        let cols: Vec<&str> = t.columns.iter().map(|c| c.0).collect();
        let marks: Vec<String> = (1..=cols.len()).map(|i| format!("${i}")).collect();
        let returning = if t.id.is_some() { " RETURNING id" } else { "" };
        let sql = format!("INSERT INTO {} ({}) VALUES ({}){returning}", t.name, cols.join(", "), marks.join(", "));
        for (n, values) in read.values.iter().enumerate() {
            let mapped: Vec<Val> = values
                .iter()
                .zip(t.columns)
                .map(|(v, (column, kind))| match (v, kind) {
                    (Val::Int(old), Col::Account | Col::Member | Col::Inbox | Col::Group | Col::Contact) => ids
                        .get(&(*kind, *old))
                        .map(|new| Val::Int(*new))
                        .ok_or_else(|| Error::internal(format!("{}.{column} names a row the account does not hold", t.name))),
                    _ => Ok(v.clone()),
                })
                .collect::<Result<_>>()?;
            let new_id = insert(&sql, &mapped)?;
            if let (Some(kind), Some(new_id)) = (t.id, new_id) {
                ids.insert((kind, read.ids[n]), new_id);
            }
        }
    }
    ids.iter().find(|((kind, _), _)| *kind == Col::Account).map(|(_, id)| *id).ok_or_else(|| Error::internal("no account row was copied"))
}

/// A value bound to a PostgreSQL parameter of a known type (an integer
/// stored for a boolean column becomes a boolean).
#[derive(Debug)]
struct PgVal(Val);

impl postgres::types::ToSql for PgVal {
    fn to_sql(
        &self,
        ty: &postgres::types::Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> std::result::Result<postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match &self.0 {
            Val::Null => Ok(postgres::types::IsNull::Yes),
            Val::Int(n) if *ty == postgres::types::Type::BOOL => (*n != 0).to_sql(ty, out),
            Val::Int(n) => n.to_sql(ty, out),
            Val::Text(s) => s.as_str().to_sql(ty, out),
        }
    }

    fn accepts(_: &postgres::types::Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}
