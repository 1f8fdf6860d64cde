//! Writing the output folder: every file or none.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

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
}
