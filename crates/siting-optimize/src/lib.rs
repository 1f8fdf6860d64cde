//! The optimiser: multi-operator coverage with quotas, capacities, costs and the sharing constraint, on sets and weights only.
