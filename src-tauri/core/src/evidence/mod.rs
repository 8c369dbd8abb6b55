//! 佐证材料: the evidence library.

pub mod classify;
pub mod pdf;
