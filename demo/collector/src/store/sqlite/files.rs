//! The database's files: `DATA_DIR` readable by this user only, the database and its WAL
//! companions `0600`, whatever the umask.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// Creates `DATA_DIR` (and any missing parents) readable by this user only. A folder that
/// already exists is left as it is, since someone chose its mode (a shared backup group, a
/// mounted volume); if others can read it, that is logged.
pub(super) fn private_dir(dir: &Path) -> Result<()> {
    let cannot = |e| Error::io(format!("DATA_DIR {} cannot be created", dir.display()), e);
    if dir.is_dir() {
        warn_if_open(dir);
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(cannot)?;
    // The mode given to mkdir is narrowed by the umask, never widened; set it exactly.
    set_mode(dir, 0o700).map_err(cannot)
}

/// Creates `path` if missing, and makes it readable and writable by this user only.
pub(super) fn private_file(path: &Path) -> Result<()> {
    let cannot = |e| Error::io(format!("{} cannot be created or protected", path.display()), e);
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map_err(cannot)?;
    set_mode(path, 0o600).map_err(cannot)
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_: &Path, _: u32) -> std::io::Result<()> {
    Ok(())
}

#[cfg(unix)]
fn warn_if_open(dir: &Path) {
    use std::os::unix::fs::PermissionsExt as _;
    if let Ok(meta) = std::fs::metadata(dir) {
        if meta.permissions().mode() & 0o077 != 0 {
            tracing::warn!(
                dir = %dir.display(),
                mode = format!("{:o}", meta.permissions().mode() & 0o777),
                "DATA_DIR can be read by other users; the database files in it are 0600, but consider chmod 700"
            );
        }
    }
}

#[cfg(not(unix))]
fn warn_if_open(_: &Path) {}

/// `responses.sqlite3-wal` and the like.
pub(super) fn companion(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}
