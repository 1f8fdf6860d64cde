//! The planning rules (R1-R12) as data, and the verdict they give on each site.
