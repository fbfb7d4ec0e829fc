//! Damage to a closed database file, for tests of what Seatdesk does with
//! a damaged page (the core's tests and the window's).

use std::path::Path;

use rusqlite::Connection;

/// Changes the bytes of one page of the closed database `file` (the page
/// `which` names, after a checkpoint has put every page in the file), and
/// says which page it was.
pub fn damage_page(file: &Path, which: &str, change: impl FnOnce(&mut [u8])) -> i64 {
    let page: i64 = {
        let conn = Connection::open(file).unwrap();
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
        conn.query_row(which, [], |r| r.get(0)).unwrap()
    };
    let mut bytes = std::fs::read(file).unwrap();
    let at = (page as usize - 1) * 4096;
    change(&mut bytes[at..at + 4096]);
    std::fs::write(file, bytes).unwrap();
    page
}

/// The leaf page of table `table` in the closed database `file` that holds
/// row `rowid` (read from the pages themselves: SQLite names no page per row).
pub fn leaf_holding(file: &Path, table: &str, rowid: i64) -> i64 {
    let conn = Connection::open(file).unwrap();
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    let leaves: Vec<i64> = conn
        .prepare("SELECT pageno FROM dbstat WHERE name = ?1 AND pagetype = 'leaf'")
        .unwrap()
        .query_map([table], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    drop(conn);
    let bytes = std::fs::read(file).unwrap();
    // A varint of the file format: 7 bits a byte, high bit set while more follow.
    let varint = |at: &mut usize| {
        let mut v = 0i64;
        for _ in 0..9 {
            let b = bytes[*at];
            *at += 1;
            v = (v << 7) | i64::from(b & 0x7f);
            if b < 0x80 {
                break;
            }
        }
        v
    };
    for page in leaves {
        let start = (page as usize - 1) * 4096;
        let header = start + if page == 1 { 100 } else { 0 };
        let cells = usize::from(u16::from_be_bytes([bytes[header + 3], bytes[header + 4]]));
        for i in 0..cells {
            let at = header + 8 + 2 * i;
            let mut cell = start + usize::from(u16::from_be_bytes([bytes[at], bytes[at + 1]]));
            let _payload = varint(&mut cell);
            if varint(&mut cell) == rowid {
                return page;
            }
        }
    }
    panic!("no leaf of {table} holds row {rowid}");
}

/// Damages the page of the closed database `file` that holds the Owner row
/// of account `account` (its page type no longer reads), and says which
/// page it was.
pub fn damage_owner_page(file: &Path, account: &str) -> i64 {
    let owner: i64 = Connection::open(file)
        .unwrap()
        .query_row("SELECT o.id FROM member o JOIN account a ON a.id = o.account_id WHERE a.name = ?1 AND o.role = 'owner'", [account], |r| r.get(0))
        .unwrap();
    damage_row_page(file, "member", owner)
}

/// Damages the page of the closed database `file` that holds row `rowid`
/// of table `table` (its page type no longer reads), and says which page.
pub fn damage_row_page(file: &Path, table: &str, rowid: i64) -> i64 {
    let page = leaf_holding(file, table, rowid);
    damage_page(file, &format!("SELECT {page}"), |page| page[0] = 0)
}
