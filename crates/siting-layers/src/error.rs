//! Errors that name the file, the feature and the problem.

use std::fmt;

/// Which feature of a layer an error is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeatureRef {
    /// Zero-based position in the layer.
    pub index: usize,
    /// The feature's id (`site_id`, `adcode`, …) where it has one.
    pub id: Option<String>,
}

impl fmt::Display for FeatureRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.id {
            Some(id) => write!(f, "feature #{} ({id})", self.index),
            None => write!(f, "feature #{}", self.index),
        }
    }
}

/// An input layer that cannot be read or is not valid.
#[derive(Debug, thiserror::Error)]
pub enum LayerError {
    /// The file could not be read.
    #[error("{file}: cannot read: {source}")]
    Io {
        /// The layer's file.
        file: String,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The file is not valid in its format.
    #[error("{file}: malformed {format}: {message}")]
    Malformed {
        /// The layer's file.
        file: String,
        /// The format expected.
        format: &'static str,
        /// What the parser said.
        message: String,
    },
    /// One feature is not valid.
    #[error("{file}: {feature}: {problem}")]
    Feature {
        /// The layer's file.
        file: String,
        /// The feature.
        feature: FeatureRef,
        /// What is wrong.
        problem: String,
    },
    /// Two features share an id that must be unique.
    #[error("{file}: {feature}: duplicate site id {id:?}, first seen in {} {}", .first.0, .first.1)]
    DuplicateId {
        /// The layer of the second occurrence.
        file: String,
        /// The second occurrence.
        feature: FeatureRef,
        /// The id.
        id: String,
        /// The layer and feature of the first occurrence.
        first: Box<(String, FeatureRef)>,
    },
    /// The layer is valid but empty where features are required.
    #[error("{file}: the layer has no features")]
    Empty {
        /// The layer's file.
        file: String,
    },
}
