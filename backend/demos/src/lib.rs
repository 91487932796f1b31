//! The demos behind the session pages: each reproduces a paper's claim on
//! data it generates, deterministically for a given seed. Pure computation:
//! no I/O, no web or database types. Long runs report progress through a
//! callback that can also stop them.

pub mod calibration;
pub mod dlrm;
pub mod gqa;
pub mod lidb;
pub mod linalg;
pub mod performative;
pub mod progress;
pub mod random;
pub mod sequences;
pub mod sizes;
pub mod training;
pub mod transformer;
