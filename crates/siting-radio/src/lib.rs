//! Radio coverage: path-loss models, link budgets, and whether a transmitter
//! serves a receiver.
//!
//! Knows no GIS: a model sees heights, an environment and a distance.
//!
//! - [`pathloss`]: free space (ITU-R P.525), Okumura-Hata, COST-231 Hata, 3GPP
//!   TR 38.901 RMa/UMa/UMi LOS and NLOS, each with its validity range, and
//!   [`Prepared`] forms for the hot loop.
//! - [`band`]: the 2015 Chinese 4G bands of each operator, with sources.
//! - [`budget`]: [`LinkBudget`], the maximum allowable path loss.
//! - [`capacity`]: [`CellCapacity`], the busy-hour traffic one station of a
//!   band carries.
//! - [`diffraction`]: knife-edge diffraction (ITU-R P.526) along a terrain
//!   profile by the Deygout method.
//! - [`model`]: the [`CoverageModel`] trait the coverage stage calls.
//! - [`propagation`]: [`LinkBudgetModel`], coverage from a model per
//!   environment and a budget; [`MultiBandModel`], an operator's bands together.

#![warn(missing_docs)]

pub mod band;
pub mod budget;
pub mod capacity;
pub mod diffraction;
pub mod model;
pub mod pathloss;
pub mod propagation;

pub use band::Band;
pub use budget::LinkBudget;
pub use capacity::CellCapacity;
pub use model::{CoverageModel, Receiver, TerrainProfile, Transmitter};
pub use pathloss::{
    CitySize, Geometry, HataEnvironment, ModelKind, OutOfRange, PathLoss, Prepared,
};
pub use propagation::{LinkBudgetModel, MultiBandModel, TransmitterLosses, ValidityBreach};
