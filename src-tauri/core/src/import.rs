//! Reading a sheet in the original layout back into the report.
