//! The one integration-test binary of the engine: stories a user would recognise, run against
//! real files made by other tools (tests/fixtures/, see fixtures/make/).

mod campaigns;
mod dashboard;
mod evaluation;
mod evidence;
mod faults;
mod fidelity;
mod fidelity_collect;
mod fidelity_sheets;
mod hostile;
mod indicator_export;
mod indicator_import;
mod phases;
mod problems;
mod recovery;
mod safety;
mod tasks;
mod tidy;
mod xls;
