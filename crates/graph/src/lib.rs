//! Network analysis on a compact graph (CSR arrays): metrics, communities, deterministic layout
//! and SVG drawing. No I/O. Filled by the network-analysis issue; the crate exists now so that the
//! workspace has its final shape and dependency direction from the start.
