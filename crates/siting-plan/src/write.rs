//! Writing the output folder: every file or none, and one run's files or
//! the previous run's, never a mix.
//!
//! - [`write_outputs`]: files into a folder that holds other files too (the
//!   data folder `siting synth` writes, `siting mclp`'s folder): each file
//!   staged beside its place and renamed into it.
//! - [`write_folder`]: a folder that holds one run's output and nothing else
//!   (`siting plan --out DIR`): everything is staged into a new sibling
//!   folder `.DIR.siting-<pid>-<nanos>`, which then takes DIR's place in one
//!   step.
//!
//! # How the folder is switched, and why so
//!
//! On Linux, `renameat2(RENAME_EXCHANGE)` swaps the staged folder and DIR
//! atomically: at every instant DIR is either the previous run's folder or
//! the new one. The old generation then sits at the staged name and is
//! removed. Swapping keeps DIR a plain folder, so every tool (and an old
//! version's output folder, which needs no migration) sees what it always
//! saw; a symlink to versioned folders would have done the same switch with
//! `rename(2)` of a new link over the old one, but turns DIR into a link
//! that tools, archives, `rm -r` and other systems treat differently.
//! Where DIR does not exist yet (the first run), a plain `rename(2)` moves the
//! staged folder in. Where the exchange is not available (a non-Linux
//! system, or a file system without it), DIR is renamed aside and the staged
//! folder renamed in: DIR is then missing for an instant between the two
//! renames, but never holds a mix, and a failure of the second rename puts
//! the old folder back.
//!
//! A folder is replaced only if siting wrote it: it holds the marker
//! [`MARKER`], or only files of the run's own list (an older version's
//! output), or nothing; otherwise the write is refused, so that
//! `--out ~/Documents` cannot delete anyone's files. Nor is a folder replaced
//! that holds an input of the run. Staged folders left by a killed run
//! (whose process is gone) are removed by the next write.
//!
//! Test hook: the environment variable [`FAULT_ENV`] injects a fault into
//! [`write_folder`] (see [`Fault`]).

use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// The file every folder [`write_folder`] writes holds: the list of the
/// run's files, one per line.
pub const MARKER: &str = ".siting-output";

/// The environment variable that injects a [`Fault`] into [`write_folder`],
/// for tests: `pause-mid-write:READY` (after the first file is staged,
/// create the file READY and wait, up to 10 minutes, to be killed),
/// `pause-before-switch:READY` (the same once everything is staged),
/// `fail-switch` (the switch fails).
pub const FAULT_ENV: &str = "SITING_WRITE_FAULT";

/// The output could not be written.
#[derive(Debug, thiserror::Error)]
#[error("{path}: cannot write: {source}")]
pub struct WriteError {
    /// The file or folder.
    pub path: String,
    /// The operating system's error.
    pub source: std::io::Error,
}

fn err(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| WriteError {
        path: path.display().to_string(),
        source,
    }
}

/// Writes `files` (name, contents) into `dir`: each first to a temporary name
/// beside it, flushed to disk, then all renamed into place, so that a failure
/// never leaves a half file. Refuses to replace any of `protected` (the
/// run's inputs). Returns the paths written.
pub fn write_outputs(
    dir: &Path,
    files: &[(&str, Vec<u8>)],
    protected: &[PathBuf],
) -> Result<Vec<PathBuf>, WriteError> {
    fs::create_dir_all(dir).map_err(err(dir))?;
    let canon_dir = dir.canonicalize().map_err(err(dir))?;
    let protected: Vec<PathBuf> = protected
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let cleanup = |staged: &[(PathBuf, PathBuf)]| {
        for (tmp, _) in staged {
            let _ = fs::remove_file(tmp);
        }
    };
    for (name, bytes) in files {
        let target = canon_dir.join(name);
        if protected.contains(&target) {
            cleanup(&staged);
            return Err(WriteError {
                path: target.display().to_string(),
                source: std::io::Error::other("refusing to overwrite an input file of this run"),
            });
        }
        let tmp = canon_dir.join(format!(".{name}.tmp-{}", std::process::id()));
        let result = (|| {
            let mut f = fs::File::create(&tmp)?;
            f.write_all(bytes)?;
            f.sync_all()
        })();
        if let Err(source) = result {
            let _ = fs::remove_file(&tmp);
            cleanup(&staged);
            return Err(WriteError {
                path: tmp.display().to_string(),
                source,
            });
        }
        staged.push((tmp, target));
    }
    let mut written = Vec::new();
    for (tmp, target) in &staged {
        fs::rename(tmp, target).map_err(err(target))?;
        written.push(target.clone());
    }
    Ok(written)
}

/// A fault [`write_folder`] can be told to meet (through [`FAULT_ENV`]), so
/// that tests can kill a run mid-write or make the switch fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// None: the normal write.
    None,
    /// After the first file is staged, create this file and wait to be killed.
    PauseMidWrite(PathBuf),
    /// Once every file is staged, before the switch, create this file and
    /// wait to be killed.
    PauseBeforeSwitch(PathBuf),
    /// The switch fails as if the file system refused it.
    FailSwitch,
}

impl Fault {
    /// The fault [`FAULT_ENV`] names (none if unset or not understood).
    pub fn from_env() -> Fault {
        let Ok(v) = std::env::var(FAULT_ENV) else {
            return Fault::None;
        };
        if let Some(p) = v.strip_prefix("pause-mid-write:") {
            Fault::PauseMidWrite(p.into())
        } else if let Some(p) = v.strip_prefix("pause-before-switch:") {
            Fault::PauseBeforeSwitch(p.into())
        } else if v == "fail-switch" {
            Fault::FailSwitch
        } else {
            Fault::None
        }
    }

    fn pause(ready: &Path) {
        let _ = fs::write(ready, std::process::id().to_string());
        // Bounded: a test that forgets to kill us does not hang forever.
        for _ in 0..6000 {
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }
}

fn write_error(path: &Path, problem: impl Into<String>) -> WriteError {
    WriteError {
        path: path.display().to_string(),
        source: std::io::Error::other(problem.into()),
    }
}

/// Whether a name of the run's file list is a plain relative path inside
/// the folder (`report.md`, `approvals/x-2015.csv`).
fn safe_name(name: &str) -> bool {
    let p = Path::new(name);
    !name.is_empty() && name != MARKER && p.components().all(|c| matches!(c, Component::Normal(_)))
}

/// Whether the process with this id still runs (Linux: `/proc`; elsewhere
/// assumed so, and its staged folder left alone).
fn alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists()
    } else {
        true
    }
}

/// Removes staged or old folders of `name` in `parent` left by runs that
/// are gone.
fn remove_stale(parent: &Path, name: &str) {
    let prefix = format!(".{name}.siting-");
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let file_name = e.file_name();
        let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
        if pid.is_some_and(|pid| !alive(pid)) {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

/// Whether `dir` (an existing folder) may be replaced: it holds siting's
/// marker, or only files of `names` (and an older writer's `.x.tmp-N`
/// leftovers), or nothing. Returns the first foreign entry otherwise.
fn foreign_entry(dir: &Path, names: &[&str]) -> Result<Option<String>, WriteError> {
    if dir.join(MARKER).is_file() {
        return Ok(None);
    }
    let tops: Vec<&str> = names
        .iter()
        .filter_map(|n| Path::new(n).components().next())
        .filter_map(|c| c.as_os_str().to_str())
        .collect();
    let mut entries: Vec<String> = fs::read_dir(dir)
        .map_err(err(dir))?
        .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<Result<_, _>>()
        .map_err(err(dir))?;
    entries.sort();
    Ok(entries.into_iter().find(|e| {
        let old_temporary = e.starts_with('.') && e.contains(".tmp-");
        !tops.contains(&e.as_str()) && !old_temporary
    }))
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    // Directories can be opened and synced on Unix; elsewhere this is a no-op.
    if cfg!(unix) {
        fs::File::open(dir)?.sync_all()
    } else {
        Ok(())
    }
}

/// Swaps two existing paths in one step; `Ok(false)` where the system or
/// file system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(e)
            if e == rustix::io::Errno::INVAL
                || e == rustix::io::Errno::NOSYS
                || e == rustix::io::Errno::NOTSUP =>
        {
            Ok(false)
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<bool> {
    Ok(false)
}

/// Puts the folder `staged` in the place of `target` (which exists), in one
/// step where the system allows; afterwards `staged` holds the old folder.
fn switch_existing(staged: &Path, target: &Path, aside: &Path) -> Result<(), WriteError> {
    if exchange(staged, target).map_err(err(target))? {
        return Ok(());
    }
    fs::rename(target, aside).map_err(err(target))?;
    if let Err(e) = fs::rename(staged, target) {
        let _ = fs::rename(aside, target);
        return Err(WriteError {
            path: target.display().to_string(),
            source: e,
        });
    }
    fs::rename(aside, staged).map_err(err(aside))
}

/// Writes `files` (name inside the folder, contents; a name may hold
/// sub-folders, `approvals/x.csv`) as the whole content of the folder `dir`,
/// replacing what an earlier run wrote there in one step (see the module's
/// documentation): `dir` then holds this run's files and [`MARKER`], or,
/// after any failure or kill, exactly what it held before. Refuses a `dir`
/// that holds files siting did not write or an input of the run
/// (`protected`). Returns the paths written, in the order given.
pub fn write_folder<S: AsRef<str>>(
    dir: &Path,
    files: &[(S, Vec<u8>)],
    protected: &[PathBuf],
) -> Result<Vec<PathBuf>, WriteError> {
    write_folder_with(dir, files, protected, &Fault::from_env())
}

/// [`write_folder`] with a given fault instead of the one [`FAULT_ENV`] names.
pub fn write_folder_with<S: AsRef<str>>(
    dir: &Path,
    files: &[(S, Vec<u8>)],
    protected: &[PathBuf],
    fault: &Fault,
) -> Result<Vec<PathBuf>, WriteError> {
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_ref()).collect();
    if let Some(bad) = names.iter().find(|n| !safe_name(n)) {
        return Err(write_error(
            dir,
            format!("{bad:?} is not a plain file name inside the output folder"),
        ));
    }
    let name = match dir.file_name().and_then(|n| n.to_str()) {
        Some(n) => n.to_string(),
        None => {
            return Err(write_error(
                dir,
                "the output folder needs a name of its own (not `/`, `.` or `..`)",
            ))
        }
    };
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(err(&parent))?;
    let parent = parent.canonicalize().map_err(err(&parent))?;
    let target = parent.join(&name);
    let exists = match fs::symlink_metadata(&target) {
        Ok(m) if m.is_dir() => true,
        Ok(_) => return Err(write_error(&target, "exists and is not a folder")),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => return Err(err(&target)(e)),
    };
    if exists {
        let canon = target.canonicalize().map_err(err(&target))?;
        if let Some(p) = protected
            .iter()
            .filter_map(|p| p.canonicalize().ok())
            .find(|p| p.starts_with(&canon))
        {
            return Err(write_error(
                &target,
                format!(
                    "refusing to overwrite the folder: it holds {}, an input file of this run",
                    p.display()
                ),
            ));
        }
        if let Some(e) = foreign_entry(&target, &names)? {
            return Err(write_error(
                &target,
                format!(
                    "refusing to replace the folder: it holds {e:?}, which siting did not write; choose a new or empty folder"
                ),
            ));
        }
    }
    remove_stale(&parent, &name);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let tag = format!("{}-{nanos}", std::process::id());
    let staged = parent.join(format!(".{name}.siting-{tag}"));
    let aside = parent.join(format!(".{name}.siting-{tag}-old"));
    let result = (|| {
        fs::create_dir(&staged).map_err(err(&staged))?;
        for (i, (n, bytes)) in files.iter().enumerate() {
            let path = staged.join(n.as_ref());
            if let Some(p) = path.parent() {
                fs::create_dir_all(p).map_err(err(p))?;
            }
            let write = || -> std::io::Result<()> {
                let mut f = fs::File::create(&path)?;
                f.write_all(bytes)?;
                f.sync_all()
            };
            write().map_err(err(&path))?;
            if i == 0 {
                if let Fault::PauseMidWrite(ready) = fault {
                    Fault::pause(ready);
                }
            }
        }
        let mut list = names.join("\n");
        list.push('\n');
        let marker = staged.join(MARKER);
        fs::write(&marker, list).map_err(err(&marker))?;
        for n in &names {
            if let Some(sub) = Path::new(n).parent().filter(|p| !p.as_os_str().is_empty()) {
                sync_dir(&staged.join(sub)).map_err(err(&staged.join(sub)))?;
            }
        }
        sync_dir(&staged).map_err(err(&staged))?;
        if let Fault::PauseBeforeSwitch(ready) = fault {
            Fault::pause(ready);
        }
        if *fault == Fault::FailSwitch {
            return Err(WriteError {
                path: target.display().to_string(),
                source: std::io::Error::other(format!(
                    "cannot switch to the new output (injected by {FAULT_ENV}); the previous output is untouched"
                )),
            });
        }
        if exists {
            switch_existing(&staged, &target, &aside)
        } else {
            fs::rename(&staged, &target).map_err(err(&target))
        }
    })();
    if let Err(e) = result {
        let _ = fs::remove_dir_all(&staged);
        return Err(e);
    }
    let _ = sync_dir(&parent);
    // The previous generation, now at the staged name.
    let _ = fs::remove_dir_all(&staged);
    Ok(names.iter().map(|n| target.join(n)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_all_and_leaves_no_temporaries() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("out");
        let w = write_outputs(
            &out,
            &[("a.txt", b"A".to_vec()), ("b.txt", b"B".to_vec())],
            &[],
        )
        .unwrap();
        assert_eq!(w.len(), 2);
        assert_eq!(fs::read(out.join("b.txt")).unwrap(), b"B");
        assert_eq!(fs::read_dir(&out).unwrap().count(), 2);
    }

    #[test]
    fn refuses_to_overwrite_an_input() {
        let d = tempfile::tempdir().unwrap();
        let input = d.path().join("plan.geojson");
        fs::write(&input, "keep").unwrap();
        let e = write_outputs(
            d.path(),
            &[
                ("report.md", b"x".to_vec()),
                ("plan.geojson", b"y".to_vec()),
            ],
            std::slice::from_ref(&input),
        );
        assert!(e.is_err());
        assert_eq!(fs::read_to_string(&input).unwrap(), "keep");
        assert!(!d.path().join("report.md").exists());
    }

    fn files(tag: &str) -> Vec<(String, Vec<u8>)> {
        vec![
            ("plan.geojson".into(), format!("plan {tag}").into_bytes()),
            ("report.md".into(), format!("report {tag}").into_bytes()),
            (
                "approvals/a-2015.csv".into(),
                format!("csv {tag}").into_bytes(),
            ),
        ]
    }

    fn siblings(parent: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(parent)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_folder_is_replaced_whole() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("out");
        let w = write_folder_with(&out, &files("1"), &[], &Fault::None).unwrap();
        assert_eq!(
            w[2],
            out.canonicalize().unwrap().join("approvals/a-2015.csv")
        );
        assert_eq!(fs::read(out.join("report.md")).unwrap(), b"report 1");
        // The second run writes fewer files: none of the first run's remain.
        let second = vec![("plan.geojson".to_string(), b"plan 2".to_vec())];
        write_folder_with(&out, &second, &[], &Fault::None).unwrap();
        assert_eq!(fs::read(out.join("plan.geojson")).unwrap(), b"plan 2");
        assert!(!out.join("report.md").exists() && !out.join("approvals").exists());
        assert_eq!(
            fs::read_to_string(out.join(MARKER)).unwrap(),
            "plan.geojson\n"
        );
        // No staged or old generation is left beside it.
        assert_eq!(siblings(d.path()), ["out"]);
    }

    #[test]
    fn a_failed_switch_leaves_the_previous_folder() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("out");
        write_folder_with(&out, &files("1"), &[], &Fault::None).unwrap();
        let e = write_folder_with(&out, &files("2"), &[], &Fault::FailSwitch).unwrap_err();
        assert!(e.to_string().contains("cannot switch"), "{e}");
        assert!(e.to_string().contains("out"), "{e}");
        for (n, _) in files("1") {
            assert!(
                fs::read_to_string(out.join(&n)).unwrap().ends_with(" 1"),
                "{n}"
            );
        }
        assert_eq!(siblings(d.path()), ["out"]);
    }

    #[test]
    fn first_run_empty_folder_and_an_older_versions_folder() {
        let d = tempfile::tempdir().unwrap();
        // An empty folder (as a temporary directory) is filled.
        write_folder_with(d.path(), &files("1"), &[], &Fault::None).unwrap();
        assert_eq!(fs::read(d.path().join("plan.geojson")).unwrap(), b"plan 1");
        // An older version's folder: its own files, no marker, a leftover temporary.
        let old = d.path().join("old");
        fs::create_dir(&old).unwrap();
        fs::write(old.join("plan.geojson"), "old").unwrap();
        fs::write(old.join(".report.md.tmp-12"), "x").unwrap();
        write_folder_with(&old, &files("2"), &[], &Fault::None).unwrap();
        assert_eq!(fs::read(old.join("plan.geojson")).unwrap(), b"plan 2");
        assert!(!old.join(".report.md.tmp-12").exists());
        // The parent is created where missing.
        let deep = d.path().join("a/b/c");
        write_folder_with(&deep, &files("3"), &[], &Fault::None).unwrap();
        assert!(deep.join("approvals/a-2015.csv").is_file());
    }

    #[test]
    fn refuses_folders_it_did_not_write() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("docs");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("thesis.tex"), "mine").unwrap();
        let e = write_folder_with(&out, &files("1"), &[], &Fault::None).unwrap_err();
        assert!(
            e.to_string()
                .contains("\"thesis.tex\", which siting did not write"),
            "{e}"
        );
        assert_eq!(fs::read(out.join("thesis.tex")).unwrap(), b"mine");
        // Nor one that holds an input of the run, even under a name of the list.
        let runs = d.path().join("runs");
        write_folder_with(&runs, &files("1"), &[], &Fault::None).unwrap();
        let input = runs.join("plan.geojson");
        let e = write_folder_with(
            &runs,
            &files("2"),
            std::slice::from_ref(&input),
            &Fault::None,
        )
        .unwrap_err();
        assert!(e.to_string().contains("an input file of this run"), "{e}");
        assert_eq!(fs::read(&input).unwrap(), b"plan 1");
        // A file where the folder should be, and names that leave the folder.
        fs::write(d.path().join("f"), "").unwrap();
        assert!(
            write_folder_with(&d.path().join("f"), &files("1"), &[], &Fault::None)
                .unwrap_err()
                .to_string()
                .contains("not a folder")
        );
        let bad = vec![("../x".to_string(), vec![])];
        assert!(write_folder_with(&runs, &bad, &[], &Fault::None).is_err());
    }

    #[test]
    fn stale_staged_folders_of_gone_runs_are_removed() {
        let d = tempfile::tempdir().unwrap();
        // No process has an id this large (above Linux's pid_max).
        let stale = d.path().join(".out.siting-4294967295-1");
        fs::create_dir(&stale).unwrap();
        fs::write(stale.join("plan.geojson"), "half").unwrap();
        write_folder_with(&d.path().join("out"), &files("1"), &[], &Fault::None).unwrap();
        let left = siblings(d.path());
        if cfg!(target_os = "linux") {
            assert_eq!(left, ["out"]);
        }
    }

    #[test]
    fn exchange_swaps_two_folders_where_the_system_can() {
        let d = tempfile::tempdir().unwrap();
        let (a, b) = (d.path().join("a"), d.path().join("b"));
        fs::create_dir(&a).unwrap();
        fs::create_dir(&b).unwrap();
        fs::write(a.join("x"), "A").unwrap();
        fs::write(b.join("x"), "B").unwrap();
        // Not Linux, or a file system without RENAME_EXCHANGE: `false`, and
        // the two-rename fallback (which the other tests then cover) is used.
        if exchange(&a, &b).unwrap() {
            assert_eq!(fs::read(a.join("x")).unwrap(), b"B");
            assert_eq!(fs::read(b.join("x")).unwrap(), b"A");
        } else {
            eprintln!("no RENAME_EXCHANGE here: the fallback is in use");
        }
    }
}
