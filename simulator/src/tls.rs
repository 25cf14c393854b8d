//! A test certificate authority made at start-up, and the server
//! certificates the simulator can present: the right one for
//! `*.autotask.net`, and the wrong ones that fault injection needs.

use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::ServerConfig;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// Which certificate a connection gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presented {
    /// `autotask.net` and `*.autotask.net`, issued by the test CA.
    Autotask,
    /// Issued by the test CA, but for `wrong-host.example` only.
    WrongHost,
    /// For `*.autotask.net`, but issued by a CA nobody trusts.
    UnknownCa,
    /// For `*.autotask.net` by the test CA, expired in 2020.
    Expired,
}

pub struct Authority {
    pub ca_pem: String,
    autotask: Arc<ServerConfig>,
    wrong_host: Arc<ServerConfig>,
    unknown_ca: Arc<ServerConfig>,
    expired: Arc<ServerConfig>,
}

fn ca(name: &str) -> Result<(Issuer<'static, KeyPair>, String), rcgen::Error> {
    let key = KeyPair::generate()?;
    let mut params = CertificateParams::new(Vec::<String>::new())?;
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, name);
    dn.push(DnType::OrganizationName, "Autotask Connect simulator");
    params.distinguished_name = dn;
    let cert = params.self_signed(&key)?;
    Ok((Issuer::new(params, key), cert.pem()))
}

fn server_config(
    names: &[&str],
    issuer: &Issuer<'_, KeyPair>,
    expired: bool,
) -> Result<Arc<ServerConfig>, Box<dyn std::error::Error + Send + Sync>> {
    let key = KeyPair::generate()?;
    let mut params =
        CertificateParams::new(names.iter().map(|s| s.to_string()).collect::<Vec<_>>())?;
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, names[0]);
    params.distinguished_name = dn;
    if expired {
        params.not_before = rcgen::date_time_ymd(2019, 1, 1);
        params.not_after = rcgen::date_time_ymd(2020, 1, 1);
    }
    let cert = params.signed_by(&key, issuer)?;
    let chain = vec![CertificateDer::from(cert.der().to_vec())];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(chain, key)?;
    // HTTP/1.1 only: the server below speaks nothing else.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

impl Authority {
    pub fn generate() -> Result<Authority, Box<dyn std::error::Error + Send + Sync>> {
        let (issuer, ca_pem) = ca("Autotask Connect test CA")?;
        let (stranger, _) = ca("Untrusted interception CA")?;
        let autotask_names = ["*.autotask.net", "autotask.net"];
        Ok(Authority {
            ca_pem,
            autotask: server_config(&autotask_names, &issuer, false)?,
            wrong_host: server_config(&["wrong-host.example"], &issuer, false)?,
            unknown_ca: server_config(&autotask_names, &stranger, false)?,
            expired: server_config(&autotask_names, &issuer, true)?,
        })
    }

    pub fn config(&self, presented: Presented) -> Arc<ServerConfig> {
        match presented {
            Presented::Autotask => &self.autotask,
            Presented::WrongHost => &self.wrong_host,
            Presented::UnknownCa => &self.unknown_ca,
            Presented::Expired => &self.expired,
        }
        .clone()
    }
}
