//! Modelled layers for the embedded Chongqing data set, reproducible byte for byte from a seed.
