//! Radio coverage models: which demand a transmitter serves. Knows no GIS.
