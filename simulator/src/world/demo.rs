//! The demo world: its credentials (shown in the README and the app's demo
//! banner) and the tenants and users behind them.

pub const SECRET: &str = "Demo*Secret#2026~xY7$kQ2w";
pub const INTEGRATION_CODE: &str = "DEMOSIMULATEDTRACKINGID0027";
pub const USERNAME: &str = "k3jd8f0aq2mz7xw@demo-msp.example";
/// An ordinary login, not an API-only user.
pub const REGULAR_USER: &str = "jane.doe@demo-msp.example";
/// An API user whose security level can read nothing.
pub const NO_PERMISSIONS: &str = "n0p3rm5a9x8zp4k@demo-msp.example";
/// An API user whose line of business hides company 0 and who has
/// restricted access to tickets.
pub const RESTRICTED: &str = "r3str1ct3d8zp4k@demo-msp.example";
/// An API user created a moment ago (works after five minutes).
pub const NEW_USER: &str = "n3wus3r9x8zp4kd@demo-msp.example";
/// An API user Autotask has locked after failed logins.
pub const LOCKED: &str = "l0ck3d9x8zp4kd2@demo-msp.example";
/// An API user of a tenant that has used most of its hourly requests.
pub const BUSY: &str = "b5y7q2m9x8zp4kd@busy-msp.example";
/// An API user of a tenant that moved from zone 6 to zone 29.
pub const MOVED: &str = "m0v3d9x8zp4kd2q@moved-msp.example";
pub const MOVED_FROM_ZONE: u32 = 6;
pub const ZONE: u32 = 5;
pub const MOVED_TO_ZONE: u32 = 29;
/// An API user whose security level reads everything and writes nothing.
pub const READ_ONLY: &str = "r3ad0n1y9x8zp4k@demo-msp.example";
/// An API user whose security level cannot read Resources (so not its
/// own record either).
pub const NO_RESOURCES: &str = "n0r3s0urc3sx8zp@demo-msp.example";
/// An API user with a username of its own rather than a generated key
/// (Connect-style forms suggest one): it looks like a person's login.
pub const DESCRIPTIVE: &str = "nango-sync@demo-msp.example";

/// Every demo user and what it shows, for the app's demo banner.
pub const USERS: &[(&str, &str)] = &[
    (USERNAME, "works"),
    (REGULAR_USER, "a person's login, not an API user"),
    (NO_PERMISSIONS, "no permissions"),
    (READ_ONLY, "can read, cannot write"),
    (RESTRICTED, "restricted access"),
    (LOCKED, "locked by Autotask"),
    (MOVED, "tenant moved to zone 29 (enter ww6)"),
    (BUSY, "busy tenant"),
    (NEW_USER, "created a moment ago"),
    (
        DESCRIPTIVE,
        "an API user with a username of its own (asked once)",
    ),
    (
        NO_RESOURCES,
        "cannot read Resources, so not its own record (check only Tickets)",
    ),
];
