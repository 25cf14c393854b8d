//! A saved profile used by scripts, RMM tools and AI agents without the
//! secret ever sitting in a file or on a command line (issue 14).
//!
//! - [`ExecEnvironment`]: the variables `autotask-connect exec NAME -- COMMAND`
//!   puts in the child's environment, and only there. Their names are a
//!   public contract.
//! - [`snippets`]: the "Use in a script" texts the window offers. They call
//!   the CLI by its exact installed path ([`CliPath`]: neither the Windows
//!   nor the macOS installer puts it on PATH, and scripts, RMM jobs and AI
//!   agents run with a PATH of their own); none of them holds the secret,
//!   and the profile name is quoted for each language so that no name can
//!   break out of its string. A vendor-bound profile gets none: a script
//!   cannot sign in without the vendor's own integration code.
//!
//! Everything here is pure (no store, no network), but for
//! [`CliPath::of_this_app`], which asks where the running program is.

use crate::store::config::{ProfileRecord, TenantRecord};
use crate::zone::{self, Zone, ZoneInput};

/// The API username (Key).
pub(crate) const ENV_USERNAME: &str = "AUTOTASK_USERNAME";
/// The API secret: only in the environment of the child `exec` starts.
pub const ENV_SECRET: &str = "AUTOTASK_SECRET";
/// The API integration code (tracking identifier). Unset when the profile
/// has none (a vendor-bound API user whose code only the vendor holds).
pub(crate) const ENV_INTEGRATION_CODE: &str = "AUTOTASK_INTEGRATION_CODE";
/// The REST base of the tenant's zone, e.g.
/// `https://webservices5.autotask.net/ATServicesRest/V1.0/` (ends in `/`).
pub(crate) const ENV_API_URL: &str = "AUTOTASK_API_URL";
/// The zone's API host, e.g. `webservices5.autotask.net` (what
/// PowerShell modules and other clients ask for as the "zone" or "base URI").
pub(crate) const ENV_API_HOST: &str = "AUTOTASK_API_HOST";
/// The tenant's portal, e.g. `https://ww5.autotask.net/` (ends in `/`).
pub(crate) const ENV_WEB_URL: &str = "AUTOTASK_WEB_URL";
/// The profile's name, so a script can say which one it used.
pub(crate) const ENV_PROFILE: &str = "AUTOTASK_PROFILE";

/// Every variable `exec` sets or clears, in the order documented.
pub const ENV_NAMES: [&str; 7] = [
    ENV_USERNAME,
    ENV_SECRET,
    ENV_INTEGRATION_CODE,
    ENV_API_URL,
    ENV_API_HOST,
    ENV_WEB_URL,
    ENV_PROFILE,
];

/// Where a profile's zone comes from, best first: the tenant the last
/// passing check found (Autotask's own answer), then the zone the
/// technician entered. `None` when neither names a zone: it has to be
/// discovered from the username.
pub fn known_zone(record: &ProfileRecord) -> Option<Zone> {
    if let Some(zone) = record
        .tenant
        .as_ref()
        .and_then(|t| zone::parse_discovered(&t.api_url).ok())
    {
        return Some(zone);
    }
    match record.zone_input.as_deref().map(str::trim) {
        Some(z) if !z.is_empty() => match zone::parse(z) {
            Ok(ZoneInput::Zone(zone)) => Some(zone),
            _ => None,
        },
        _ => None,
    }
}

/// The zone facts a child process gets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZoneFacts {
    pub api_url: String,
    pub api_host: String,
    pub web_url: String,
}

impl ZoneFacts {
    pub fn of(zone: Zone) -> ZoneFacts {
        ZoneFacts {
            api_url: zone.api_url(),
            api_host: zone.api_host(),
            web_url: zone.web_url(),
        }
    }

    /// The portal address from the tenant (which Autotask reported) when it
    /// belongs to the same zone, else the zone's own.
    pub fn for_record(zone: Zone, tenant: Option<&TenantRecord>) -> ZoneFacts {
        let mut facts = ZoneFacts::of(zone);
        if let Some(t) = tenant.filter(|t| zone::parse_discovered(&t.api_url).ok() == Some(zone))
            && zone::parse_discovered(&t.web_url).is_ok()
        {
            facts.web_url = t.web_url.clone();
        }
        facts
    }
}

/// The non-secret variables of a profile; the caller adds the secret
/// straight from the store to the child's environment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecEnvironment {
    /// Variables to set, without the secret.
    pub set: Vec<(&'static str, String)>,
    /// Variables to remove from what the child inherits (an integration
    /// code the profile does not have must not come from the parent).
    pub unset: Vec<&'static str>,
}

impl ExecEnvironment {
    pub fn new(name: &str, record: &ProfileRecord, zone: &ZoneFacts) -> ExecEnvironment {
        let mut set = vec![(ENV_USERNAME, record.username.clone())];
        let mut unset = Vec::new();
        let code = record.integration_code.trim();
        if code.is_empty() {
            unset.push(ENV_INTEGRATION_CODE);
        } else {
            set.push((ENV_INTEGRATION_CODE, code.to_string()));
        }
        set.extend([
            (ENV_API_URL, zone.api_url.clone()),
            (ENV_API_HOST, zone.api_host.clone()),
            (ENV_WEB_URL, zone.web_url.clone()),
            (ENV_PROFILE, name.to_string()),
        ]);
        ExecEnvironment { set, unset }
    }
}

// ----------------------------------------------------------------- quoting

/// A PowerShell single-quoted string: `'` is the only special character,
/// written twice. (PowerShell also treats the typographic quotes
/// U+2018/U+2019/U+201A/U+201B as single quotes: they are doubled too.)
pub(crate) fn powershell_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}') {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// A POSIX shell single-quoted word: `'` closes, an escaped quote, reopens.
pub(crate) fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// A Python string literal (JSON's escaping is valid Python for every
/// character, including quotes, backslashes and line separators).
pub(crate) fn python_quote(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

// ---------------------------------------------------------------- snippets

/// What "Use in a script" offers for a saved profile: the snippets, or why
/// there are none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScriptUse {
    Snippets(Snippets),
    /// A vendor-bound API user: every snippet would send an empty
    /// integration code and be refused; the reason says what to do instead.
    NotForScripts {
        profile: String,
        reason: String,
    },
}

/// The snippets for a saved profile as the window lists it (its REST base
/// from the last passing check, else from the zone entered), calling the
/// CLI installed beside this app.
pub fn profile_snippets(view: &crate::profile::ProfileView) -> ScriptUse {
    profile_snippets_with(view, &CliPath::of_this_app())
}

/// [`profile_snippets`] with the CLI at `cli`.
pub fn profile_snippets_with(view: &crate::profile::ProfileView, cli: &CliPath) -> ScriptUse {
    if let Ok(vendor) = crate::vendors::find(&view.vendor)
        && vendor.bound
    {
        let name = &vendor.name;
        return ScriptUse::NotForScripts {
            profile: view.name.clone(),
            reason: format!(
                "No script can use this profile: its API user signs in with {name}'s own \
                 integration code (tracking identifier), which only {name} holds, so every run \
                 would be a refused sign-in. For a script, create another API user whose API \
                 Tracking Identifier is \"Custom (Internal Integration)\" and save it as its own \
                 profile."
            ),
        };
    }
    let api_url = view
        .tenant
        .as_ref()
        .and_then(|t| zone::parse_discovered(&t.api_url).ok())
        .or_else(|| match view.zone_input.as_deref().map(zone::parse) {
            Some(Ok(ZoneInput::Zone(z))) => Some(z),
            _ => None,
        })
        .map(Zone::api_url);
    ScriptUse::Snippets(snippets(&view.name, api_url.as_deref(), cli))
}

/// The systems the installers are built for; each lays the CLI out its way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Platform {
    Windows,
    MacOs,
    Linux,
}

impl Platform {
    pub fn current() -> Platform {
        if cfg!(windows) {
            Platform::Windows
        } else if cfg!(target_os = "macos") {
            Platform::MacOs
        } else {
            Platform::Linux
        }
    }
}

/// The CLI the snippets call, by its exact path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CliPath {
    pub platform: Platform,
    pub path: String,
}

impl CliPath {
    /// The CLI the installers put beside the app whose executable is
    /// `app_exe` (a path in that platform's own form): in the same folder on
    /// Windows (the setup .exe's per-user folder, or the .msi's under
    /// Program Files) and on Linux (`/usr/bin`); on macOS in the bundle's
    /// `Contents/Resources`. A source build's app and CLI share a folder.
    pub fn beside(platform: Platform, app_exe: &str) -> CliPath {
        let sep = if platform == Platform::Windows {
            '\\'
        } else {
            '/'
        };
        let dir = app_exe.rsplit_once(sep).map(|(d, _)| d).unwrap_or(".");
        let path = match platform {
            Platform::Windows => format!("{dir}\\autotask-connect.exe"),
            Platform::Linux => format!("{dir}/autotask-connect"),
            Platform::MacOs => match dir.strip_suffix("/Contents/MacOS") {
                Some(bundle) => format!("{bundle}/Contents/Resources/autotask-connect"),
                None => format!("{dir}/autotask-connect"),
            },
        };
        CliPath { platform, path }
    }

    /// Where each installer puts it by default (README's table): for when
    /// the running program cannot say where it is.
    pub fn default_for(platform: Platform) -> CliPath {
        let path = match platform {
            Platform::Windows => "%LOCALAPPDATA%\\Autotask Connect\\autotask-connect.exe",
            Platform::MacOs => {
                "/Applications/Autotask Connect.app/Contents/Resources/autotask-connect"
            }
            Platform::Linux => "/usr/bin/autotask-connect",
        };
        CliPath {
            platform,
            path: path.into(),
        }
    }

    /// The CLI beside the running app.
    pub fn of_this_app() -> CliPath {
        let platform = Platform::current();
        match std::env::current_exe() {
            Ok(exe) => CliPath::beside(platform, &exe.to_string_lossy()),
            Err(_) => CliPath::default_for(platform),
        }
    }
}

/// The "Use in a script" texts for one profile. None contains a secret:
/// each one asks the CLI for it when it runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snippets {
    pub profile: String,
    /// The CLI every snippet calls, by its exact path.
    pub cli: String,
    pub powershell: String,
    pub python: String,
    pub shell: String,
    /// A Claude Desktop `claude_desktop_config.json` entry (`mcpServers`).
    pub mcp_claude: String,
    /// A VS Code `.vscode/mcp.json` entry (`servers`).
    pub mcp_vscode: String,
}

/// The example AI-agent server the MCP entries start under `exec`; the
/// technician replaces it with theirs (it reads `AUTOTASK_*` variables).
pub(crate) const MCP_SERVER_EXAMPLE: [&str; 2] = ["npx", "your-autotask-mcp-server"];

/// The snippets for profile `name`, calling the CLI at `cli`. `api_url` is
/// the profile's REST base when it is known (PowerShell uses it as a
/// literal; the others read it from the environment `exec` gives them).
pub fn snippets(name: &str, api_url: Option<&str>, cli: &CliPath) -> Snippets {
    let ps = powershell_quote(name);
    let sh = sh_quote(name);
    let py = python_quote(name);
    let ps_cli = powershell_quote(&cli.path);
    let py_cli = python_quote(&cli.path);
    let sh_cli = sh_quote(&cli.path);
    let ps_url = match api_url {
        Some(u) => format!(
            "$ApiUrl = {}  # `& $Cli status` says if the tenant moves zone\n",
            powershell_quote(u)
        ),
        None => "$ApiUrl = $P.tenant.api_url  # known once the profile has passed a check\n".into(),
    };
    let powershell = format!(
        "# The secret comes from the credential store when this runs; it is\n\
         # never written here. Exit status 2: no such profile, or no secret.\n\
         $Cli = {ps_cli}\n\
         $Name = {ps}\n\
         $Secret = & $Cli profile secret $Name\n\
         if ($LASTEXITCODE -ne 0) {{ throw \"autotask-connect: cannot read profile $Name\" }}\n\
         $P = & $Cli profile show $Name --json | ConvertFrom-Json\n\
         {ps_url}\
         $Headers = @{{ ApiIntegrationCode = $P.integration_code; UserName = $P.username; Secret = $Secret }}\n\
         Invoke-RestMethod -Uri \"${{ApiUrl}}Companies/0\" -Headers $Headers\n"
    );
    let python = format!(
        "import os, subprocess, sys, urllib.request\n\
         \n\
         CLI = {py_cli}\n\
         PROFILE = {py}\n\
         if \"AUTOTASK_SECRET\" not in os.environ:\n\
         \x20   # Start again under `autotask-connect exec`: the secret goes only into\n\
         \x20   # this process's environment, never into a file or an argument.\n\
         \x20   sys.exit(subprocess.call([CLI, \"exec\", PROFILE, \"--\", sys.executable, *sys.argv]))\n\
         \n\
         request = urllib.request.Request(\n\
         \x20   os.environ[\"AUTOTASK_API_URL\"] + \"Companies/0\",\n\
         \x20   headers={{\n\
         \x20       \"ApiIntegrationCode\": os.environ[\"AUTOTASK_INTEGRATION_CODE\"],\n\
         \x20       \"UserName\": os.environ[\"AUTOTASK_USERNAME\"],\n\
         \x20       \"Secret\": os.environ[\"AUTOTASK_SECRET\"],\n\
         \x20   }},\n\
         )\n\
         print(urllib.request.urlopen(request).read().decode())\n"
    );
    // printf is built into sh: the secret reaches curl on a pipe, not as an argument.
    let shell = format!(
        "# The AUTOTASK_* variables exist only inside the command exec starts.\n\
         {sh_cli} exec {sh} -- sh -c '\n\
         \x20 printf \"Secret: %s\\n\" \"$AUTOTASK_SECRET\" |\n\
         \x20 curl -fsS -H @- \\\n\
         \x20   -H \"ApiIntegrationCode: $AUTOTASK_INTEGRATION_CODE\" \\\n\
         \x20   -H \"UserName: $AUTOTASK_USERNAME\" \\\n\
         \x20   \"${{AUTOTASK_API_URL}}Companies/0\"'\n"
    );
    let args: Vec<String> = ["exec", name, "--"]
        .iter()
        .chain(MCP_SERVER_EXAMPLE.iter())
        .map(|s| s.to_string())
        .collect();
    let server = serde_json::json!({ "command": cli.path, "args": args });
    let key = format!("autotask-{name}");
    let mcp_claude = serde_json::to_string_pretty(&serde_json::json!({
        "mcpServers": { key.clone(): server.clone() }
    }))
    .expect("json");
    let mut vscode_server = server;
    vscode_server["type"] = "stdio".into();
    let mcp_vscode = serde_json::to_string_pretty(&serde_json::json!({
        "servers": { key: vscode_server }
    }))
    .expect("json");
    Snippets {
        profile: name.to_string(),
        cli: cli.path.clone(),
        powershell,
        python,
        shell,
        mcp_claude,
        mcp_vscode,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(tenant: Option<&str>, zone_input: Option<&str>, code: &str) -> ProfileRecord {
        ProfileRecord {
            vendor: None,
            username: "k3jd8f0aq2mz7xw@contoso.com".into(),
            integration_code: code.into(),
            zone_input: zone_input.map(str::to_string),
            tenant: tenant.map(|api| TenantRecord {
                zone_name: None,
                api_url: api.into(),
                web_url: "https://ww29.autotask.net/".into(),
                ci: Some(1),
                company_name: None,
            }),
            last_check: None,
            created_at: "2026-12-01T00:00:00Z".into(),
            updated_at: "2026-12-01T00:00:00Z".into(),
            failed_logins: vec![],
            entities: vec![],
            deleting: false,
        }
    }

    #[test]
    fn the_zone_is_the_last_checks_then_the_entered_one() {
        let moved = record(
            Some("https://webservices29.autotask.net/ATServicesRest/V1.0/"),
            Some("https://ww6.autotask.net/"),
            "C",
        );
        assert_eq!(known_zone(&moved), Some(Zone::Numbered(29)));
        let entered = record(None, Some("ww6.autotask.net"), "C");
        assert_eq!(known_zone(&entered), Some(Zone::Numbered(6)));
        assert_eq!(known_zone(&record(None, None, "C")), None);
        assert_eq!(
            known_zone(&record(None, Some("webservices.autotask.net"), "C")),
            None
        );
    }

    #[test]
    fn the_environment_names_and_values_are_the_contract() {
        let r = record(
            Some("https://webservices29.autotask.net/ATServicesRest/V1.0/"),
            None,
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ1",
        );
        let facts = ZoneFacts::for_record(known_zone(&r).unwrap(), r.tenant.as_ref());
        let env = ExecEnvironment::new("Contoso", &r, &facts);
        assert_eq!(
            env.set,
            vec![
                (
                    "AUTOTASK_USERNAME",
                    "k3jd8f0aq2mz7xw@contoso.com".to_string()
                ),
                (
                    "AUTOTASK_INTEGRATION_CODE",
                    "ABCDEFGHIJKLMNOPQRSTUVWXYZ1".to_string()
                ),
                (
                    "AUTOTASK_API_URL",
                    "https://webservices29.autotask.net/ATServicesRest/V1.0/".to_string()
                ),
                (
                    "AUTOTASK_API_HOST",
                    "webservices29.autotask.net".to_string()
                ),
                ("AUTOTASK_WEB_URL", "https://ww29.autotask.net/".to_string()),
                ("AUTOTASK_PROFILE", "Contoso".to_string()),
            ]
        );
        assert!(env.unset.is_empty());
        assert!(!env.set.iter().any(|(k, _)| *k == ENV_SECRET));
    }

    #[test]
    fn a_profile_without_an_integration_code_clears_the_variable() {
        let r = record(None, Some("ww5"), "  ");
        let env = ExecEnvironment::new("V", &r, &ZoneFacts::of(Zone::Numbered(5)));
        assert_eq!(env.unset, vec![ENV_INTEGRATION_CODE]);
        assert!(!env.set.iter().any(|(k, _)| *k == ENV_INTEGRATION_CODE));
    }

    #[test]
    fn a_tenants_portal_from_another_zone_is_not_used() {
        // The tenant recorded zone 29; the facts are for zone 6: derive its portal.
        let r = record(
            Some("https://webservices29.autotask.net/ATServicesRest/V1.0/"),
            None,
            "C",
        );
        let f = ZoneFacts::for_record(Zone::Numbered(6), r.tenant.as_ref());
        assert_eq!(f.web_url, "https://ww6.autotask.net/");
    }

    const HOSTILE: [&str; 9] = [
        "O'Brien & Sons",
        "it's \"quoted\" $(rm -rf ~) `whoami` $env:SECRET",
        "‘smart’ ‚quotes‛",
        "back\\slash\\",
        "semi; colon | pipe > out",
        "$profile'; Remove-Item C:\\ -Recurse; '",
        "'",
        "''",
        "name with\u{2028}line separator",
    ];

    /// How PowerShell reads a single-quoted string: every quote character
    /// doubled stands for one; a single one ends the string.
    fn powershell_unquote(q: &str) -> Option<String> {
        let is_q = |c: char| matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}');
        let mut chars = q.chars().peekable();
        if !chars.next().is_some_and(is_q) {
            return None;
        }
        let mut out = String::new();
        while let Some(c) = chars.next() {
            if is_q(c) {
                match chars.peek() {
                    Some(&n) if is_q(n) => {
                        out.push(n);
                        chars.next();
                    }
                    None => return Some(out),
                    Some(_) => return None, // the string ended early
                }
            } else {
                out.push(c);
            }
        }
        None
    }

    #[test]
    fn powershell_quoting_survives_hostile_names() {
        for name in HOSTILE {
            let q = powershell_quote(name);
            assert_eq!(powershell_unquote(&q).as_deref(), Some(name), "{q}");
        }
        assert_eq!(powershell_quote("O'Brien"), "'O''Brien'");
    }

    #[test]
    #[cfg(unix)] // runs sh
    fn shell_quoting_survives_hostile_names() {
        for name in HOSTILE {
            let q = sh_quote(name);
            let out = std::process::Command::new("sh")
                .args(["-c", &format!("printf %s {q}")])
                .output()
                .unwrap();
            assert_eq!(String::from_utf8(out.stdout).unwrap(), name, "{q}");
        }
    }

    #[test]
    fn python_and_json_quoting_survive_hostile_names() {
        for name in HOSTILE {
            let s = snippets(name, None, &linux());
            assert!(s.python.contains(&python_quote(name)));
            for mcp in [&s.mcp_claude, &s.mcp_vscode] {
                let v: serde_json::Value = serde_json::from_str(mcp).unwrap();
                let servers = v
                    .get("mcpServers")
                    .or(v.get("servers"))
                    .unwrap()
                    .as_object()
                    .unwrap();
                let server = servers.values().next().unwrap();
                assert_eq!(server["command"], "/usr/bin/autotask-connect");
                let args: Vec<&str> = server["args"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a.as_str().unwrap())
                    .collect();
                assert_eq!(&args[..3], &["exec", name, "--"]);
            }
            assert!(
                s.powershell
                    .contains(&format!("$Name = {}\n", powershell_quote(name)))
            );
            assert!(
                s.python
                    .contains(&format!("PROFILE = {}\n", python_quote(name)))
            );
            assert!(s.shell.contains(&format!("exec {} --", sh_quote(name))));
        }
    }

    #[test]
    fn a_saved_profiles_snippets_use_its_zone() {
        let view = crate::profile::ProfileView {
            name: "A".into(),
            vendor: "custom".into(),
            username: "u".into(),
            integration_code: "C".into(),
            zone_input: Some("ww14".into()),
            tenant: None,
            last_check: None,
            entities: vec![],
            created_at: String::new(),
            updated_at: String::new(),
            has_secret: Some(true),
            recent_failed_logins: 0,
            problem: None,
        };
        let ScriptUse::Snippets(s) = profile_snippets_with(&view, &linux()) else {
            panic!("a custom profile gets snippets");
        };
        assert!(
            s.powershell
                .contains("'https://webservices14.autotask.net/ATServicesRest/V1.0/'")
        );
    }

    #[test]
    fn a_vendor_bound_profile_gets_a_reason_instead_of_snippets_that_cannot_sign_in() {
        let view = crate::profile::ProfileView {
            name: "Depot".into(),
            vendor: "cloud-depot".into(),
            username: "u".into(),
            integration_code: String::new(),
            zone_input: Some("ww5".into()),
            tenant: None,
            last_check: None,
            entities: vec![],
            created_at: String::new(),
            updated_at: String::new(),
            has_secret: Some(true),
            recent_failed_logins: 0,
            problem: None,
        };
        match profile_snippets_with(&view, &linux()) {
            ScriptUse::NotForScripts { profile, reason } => {
                assert_eq!(profile, "Depot");
                assert!(reason.starts_with("No script can use this profile: its API user signs in with Cloud Depot's own integration code"), "{reason}");
                assert!(
                    reason.contains("\"Custom (Internal Integration)\""),
                    "{reason}"
                );
            }
            other => panic!("{other:?}"),
        }
    }

    fn linux() -> CliPath {
        CliPath::default_for(Platform::Linux)
    }

    #[test]
    fn the_cli_is_found_beside_the_app_as_each_installer_lays_it_out() {
        for (platform, app, cli) in [
            (
                Platform::Windows,
                r"C:\Users\Jo\AppData\Local\Autotask Connect\autotask-connect-app.exe",
                r"C:\Users\Jo\AppData\Local\Autotask Connect\autotask-connect.exe",
            ),
            (
                Platform::Windows,
                r"C:\Program Files\Autotask Connect\autotask-connect-app.exe",
                r"C:\Program Files\Autotask Connect\autotask-connect.exe",
            ),
            (
                Platform::MacOs,
                "/Applications/Autotask Connect.app/Contents/MacOS/autotask-connect-app",
                "/Applications/Autotask Connect.app/Contents/Resources/autotask-connect",
            ),
            (
                Platform::Linux,
                "/usr/bin/autotask-connect-app",
                "/usr/bin/autotask-connect",
            ),
            (
                Platform::Linux,
                "/src/target/release/autotask-connect-app",
                "/src/target/release/autotask-connect",
            ),
        ] {
            assert_eq!(CliPath::beside(platform, app).path, cli);
        }
    }

    #[test]
    fn snippets_call_the_cli_and_hand_the_secret_over_without_arguments() {
        let s = snippets(
            "Contoso",
            Some("https://webservices5.autotask.net/ATServicesRest/V1.0/"),
            &linux(),
        );
        assert!(
            s.powershell
                .contains("$Cli = '/usr/bin/autotask-connect'\n")
        );
        assert!(
            s.powershell
                .contains("$Secret = & $Cli profile secret $Name\n")
        );
        assert!(
            s.powershell
                .contains("$ApiUrl = 'https://webservices5.autotask.net/ATServicesRest/V1.0/'")
        );
        assert!(s.python.contains("CLI = \"/usr/bin/autotask-connect\"\n"));
        assert!(
            s.python
                .contains("[CLI, \"exec\", PROFILE, \"--\", sys.executable, *sys.argv]")
        );
        assert!(s.shell.starts_with("# "));
        assert!(
            s.shell
                .contains("'/usr/bin/autotask-connect' exec 'Contoso' -- sh -c '")
        );
        // The secret goes to curl on standard input (printf is a shell
        // built-in), never in curl's arguments.
        assert!(
            s.shell
                .contains("printf \"Secret: %s\\n\" \"$AUTOTASK_SECRET\" |")
        );
        assert!(!s.shell.contains("-H \"Secret"));
        let unknown = snippets("Contoso", None, &linux());
        assert!(unknown.powershell.contains("$ApiUrl = $P.tenant.api_url"));
    }
}
