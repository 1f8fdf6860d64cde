//! The plan: assembly from the optimiser's choice, report figures, and the GeoJSON/JSON/Markdown writers.
