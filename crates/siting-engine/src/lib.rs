//! The pipeline: config in, layers through index, rules, coverage and optimiser, plan out.
