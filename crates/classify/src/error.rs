//! Errors of this crate.

/// Anything that can go wrong loading, saving or training a model, or reading data.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A model file is not a model file, or is damaged.
    #[error("invalid model file: {0}")]
    Format(String),
    /// A model file has a version this build cannot read.
    #[error(
        "model file format version {found} is not supported (this build reads versions 1 to {supported})"
    )]
    Version {
        /// The version in the file.
        found: u32,
        /// The newest version this build reads.
        supported: u32,
    },
    /// Training was given unusable settings or data.
    #[error("training: {0}")]
    Train(String),
    /// Training data could not be read.
    #[error("data: {0}")]
    Data(String),
    /// An I/O error, with the path involved.
    #[error("{path}: {source}")]
    Io {
        /// The file involved.
        path: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

/// This crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
