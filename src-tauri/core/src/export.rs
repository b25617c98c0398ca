//! The consolidated report as an .xlsx sheet in the original printed layout.
