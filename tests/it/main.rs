//! The one integration-test binary of the engine: stories a user would recognise, run against
//! real files made by other tools (tests/fixtures/, see fixtures/make/).

mod campaigns;
mod evaluation;
mod faults;
mod hostile;
mod indicator_export;
mod indicator_import;
mod safety;
mod tasks;
mod tidy;
