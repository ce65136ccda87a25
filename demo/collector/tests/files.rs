//! The database is readable by the collector's user only: DATA_DIR is created 0700 and the
//! SQLite file and its companions are 0600, whatever the umask the service was started with.
#![cfg(unix)]

mod common;

use common::binary::{command, http, Server};
use common::{valid_payload, new_id};
use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;
use std::process::Command;
use std::time::Duration;
use survey_collector::store::{DB_COMPANIONS, DB_FILE};

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).permissions().mode() & 0o777
}

/// The collector as `command` would start it, but from a shell whose umask is 000, so nothing
/// it creates is protected unless it sets the mode itself.
fn with_umask_000(data: &Path) -> Command {
    let inner = command(data, &[]);
    let mut cmd = Command::new("sh");
    cmd.args(["-c", "umask 000 && exec \"$0\"", &inner.get_program().to_string_lossy()]).env_clear();
    for (key, value) in inner.get_envs() {
        if let Some(value) = value {
            cmd.env(key, value);
        }
    }
    cmd
}

#[test]
fn the_database_folder_is_0700_and_its_files_0600_whatever_the_umask() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("nested").join("data");
    let mut server = Server::start(with_umask_000(&data));
    let headers = [("Content-Type", "application/json")];
    let (status, body) = http(&server.addr, "POST", "/api/responses", &headers, &valid_payload(&new_id()).to_string());
    assert_eq!(status, 201, "{body}");

    // While it runs, with its WAL companions in place.
    assert_eq!(mode(&data), 0o700, "DATA_DIR");
    let db = data.join(DB_FILE);
    assert_eq!(mode(&db), 0o600, "{DB_FILE}");
    for suffix in DB_COMPANIONS {
        let companion = data.join(format!("{DB_FILE}{suffix}"));
        assert_eq!(mode(&companion), 0o600, "{}", companion.display());
    }
    server.terminate(Duration::from_secs(10)).expect("stops on SIGTERM");
    assert_eq!(mode(&db), 0o600, "{DB_FILE} after a clean stop");
}

#[test]
fn an_existing_database_file_is_tightened_and_an_existing_folder_left_as_it_is() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    std::fs::create_dir(&data).expect("created");
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o750)).expect("chmod");
    let db = data.join(DB_FILE);
    std::fs::write(&db, b"").expect("an empty database file, as an older release left it");
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).expect("chmod");

    let mut server = Server::start(with_umask_000(&data));
    assert_eq!(mode(&db), 0o600);
    // Someone chose this folder's mode (a backup group, say): it is theirs to change.
    assert_eq!(mode(&data), 0o750);
    server.terminate(Duration::from_secs(10)).expect("stops on SIGTERM");
    assert!(server.stderr().contains("DATA_DIR can be read by other users"), "and it says so");
}
