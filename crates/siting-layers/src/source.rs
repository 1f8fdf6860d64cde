//! Where a layer's bytes come from.

use crate::LayerError;
use std::borrow::Cow;
use std::path::PathBuf;

/// A layer's origin: a file on disk or bytes embedded in the binary.
#[derive(Debug, Clone)]
pub enum Source {
    /// A file on disk.
    File(PathBuf),
    /// Bytes compiled into the binary, with the name they are reported under.
    Embedded {
        /// A path-like name, such as `embedded:data/chongqing/demand.geojson`.
        name: String,
        /// The file's bytes.
        bytes: &'static [u8],
    },
}

impl Source {
    /// The name used in errors and reports.
    pub fn label(&self) -> String {
        match self {
            Source::File(p) => p.display().to_string(),
            Source::Embedded { name, .. } => name.clone(),
        }
    }

    /// The layer's bytes.
    pub fn bytes(&self) -> Result<Cow<'static, [u8]>, LayerError> {
        match self {
            Source::File(p) => std::fs::read(p)
                .map(Cow::Owned)
                .map_err(|source| LayerError::Io {
                    file: self.label(),
                    source,
                }),
            Source::Embedded { bytes, .. } => Ok(Cow::Borrowed(bytes)),
        }
    }
}
