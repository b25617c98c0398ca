//! Request packages, submissions and reporting periods: the departments' round trip.
