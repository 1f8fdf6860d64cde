//! Coverage sets per (site, operator), computed in parallel with rayon from a radio model and the demand index.
