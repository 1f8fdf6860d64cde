//! The normalised domain model of the siting engine.
//!
//! Every geometry here is in the working **metric** CRS (metres, easting then
//! northing); the WGS84 lon/lat a feature came with is kept beside it so that
//! outputs never depend on an inverse projection. Layers in, the model out:
//! `siting-layers` builds these types, every later stage reads them.
//!
//! - [`operator`]: the three basic operators and sets of them.
//! - [`site`]: existing and candidate sites, their kinds, capacities, tenants.
//! - [`technology`]: 2G/3G/4G per tenant, and a tenant's text form.
//! - [`zone`]: protected and administrative zones with their class.
//! - [`demand`]: demand points with weights and environments.
//! - [`district`]: district and county boundaries, township centres.
//! - [`model`]: the whole input model, ready for indexing.

#![warn(missing_docs)]

pub mod demand;
pub mod district;
pub mod model;
pub mod operator;
pub mod site;
pub mod technology;
pub mod zone;

pub use demand::{DemandPoint, Environment};
pub use district::{District, Township};
pub use model::Model;
pub use operator::{Operator, OperatorSet, ParseOperatorError, PerOperator};
pub use site::{Site, SiteKind, SiteOrigin};
pub use technology::{TechSet, Technology};
pub use zone::{Zone, ZoneClass};

/// A position in the working metric CRS, in metres.
pub type XyM = geo_types::Coord<f64>;

/// A WGS84 position, degrees, longitude then latitude.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LonLat {
    /// Longitude, degrees east.
    pub lon: f64,
    /// Latitude, degrees north.
    pub lat: f64,
}
