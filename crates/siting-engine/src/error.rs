//! What can stop a run.

/// Errors of the pipeline; each names the file (and feature) at fault.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The config cannot be read or is not valid.
    #[error("{file}: {message}")]
    Config {
        /// The config file.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// An input layer is not valid.
    #[error(transparent)]
    Layer(#[from] siting_layers::LayerError),
    /// The metric CRS cannot be set up.
    #[error("metric CRS: {0}")]
    Crs(#[from] siting_crs::CrsError),
    /// A site lies outside every district.
    #[error("{file}: feature #{index} (site_id={id}): the site lies outside every district of {districts}")]
    OutsideDistricts {
        /// The site layer.
        file: String,
        /// Feature index.
        index: usize,
        /// Site id.
        id: String,
        /// The district layer.
        districts: String,
    },
    /// The rule book cannot be used.
    #[error(transparent)]
    Rules(#[from] siting_rules::BookError),
    /// The optimiser's instance is malformed (a bug, reported rather than a panic).
    #[error("optimiser: {0}")]
    Optimiser(#[from] siting_optimize::ProblemError),
    /// The output could not be written.
    #[error(transparent)]
    Write(#[from] siting_plan::WriteError),
    /// An approval list could not be written.
    #[error(transparent)]
    Approval(#[from] siting_plan::ApprovalError),
    /// A written plan could not be read back.
    #[error(transparent)]
    Plan(#[from] siting_plan::PlanReadError),
}
