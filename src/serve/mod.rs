//! `digest serve`: build, serve the output over HTTP, watch the site, rebuild what changed and
//! tell open pages to reload.

pub mod site;
