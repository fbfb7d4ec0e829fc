//! Backup and restore of the whole database.

use std::path::Path;

use serde::Serialize;
use specta::Type;

use super::Seatdesk;
use crate::error::{Error, Result};
use crate::store;

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct BackupInfo {
    pub path: String,
    #[specta(type = specta_typescript::Number)]
    pub bytes: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct RestoreInfo {
    pub restored_from: String,
    /// The copy of the database that was replaced.
    pub previous_saved_as: String,
    #[specta(type = specta_typescript::Number)]
    pub schema_version: i64,
}

impl Seatdesk {
    /// "Back up now": a consistent copy written to `target`.
    pub fn backup(&mut self, target: &Path) -> Result<BackupInfo> {
        let bytes = store::backup_into(&self.conn, target)?;
        Ok(BackupInfo { path: target.display().to_string(), bytes: bytes as i64 })
    }

    /// Replaces everything with the backup at `source`, after checking it
    /// (schema version, integrity) and keeping the current database as a
    /// backup beside it. Renewals due are booked afterwards, as on opening.
    pub fn restore(&mut self, source: &Path) -> Result<RestoreInfo> {
        let version = store::validate_backup(source)?;
        let here = self.db_path().cloned().ok_or_else(|| Error::internal("an in-memory database has nothing to restore into"))?;
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
        let keep = here.with_file_name(format!("seatdesk.db.before-restore-{stamp}.bak"));
        store::backup_into(&self.conn, &keep)?;
        store::restore_from(&mut self.conn, source)?;
        self.run_renewals()?;
        Ok(RestoreInfo { restored_from: source.display().to_string(), previous_saved_as: keep.display().to_string(), schema_version: version })
    }
}
