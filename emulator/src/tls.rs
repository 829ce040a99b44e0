//! TLS on loopback (the `tls` feature): a certificate authority made once per process, whose
//! root a client trusts ([`root_certificate`]), and a server certificate per emulator, valid or
//! broken on purpose ([`ServerCertificate`]). ALPN offers `h2` and `http/1.1` (or only
//! `http/1.1`).

use std::io;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::{Arc, OnceLock};

use rcgen::{
    BasicConstraints, Certificate, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose,
    SanType, date_time_ymd,
};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

/// The certificate an emulator serving TLS presents ([`Builder::tls`](crate::Builder::tls)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ServerCertificate {
    /// For `127.0.0.1` and `localhost`, signed by the process's authority, whose root
    /// [`root_certificate`] gives.
    Valid,
    /// Signed by the process's authority, but for another host name (`emulator.invalid`).
    WrongHost,
    /// Signed by the process's authority, for the right names, but expired (valid in 2020
    /// only).
    Expired,
    /// For the right names, but signed by an authority no client trusts.
    UnknownIssuer,
}

/// An authority: its root certificate and its key.
struct Authority {
    root: Certificate,
    key: KeyPair,
}

fn authority(name: &str) -> Result<Authority, rcgen::Error> {
    let mut params = CertificateParams::new(Vec::<String>::new())?;
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(DnType::CommonName, name.to_owned());
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::CrlSign,
    ];
    let key = KeyPair::generate()?;
    let root = params.self_signed(&key)?;
    Ok(Authority { root, key })
}

/// The process's authority (made on first use), and another that no client trusts.
fn authorities() -> io::Result<&'static (Authority, Authority)> {
    static AUTHORITIES: OnceLock<Result<(Authority, Authority), String>> = OnceLock::new();
    AUTHORITIES
        .get_or_init(|| {
            let trusted = authority("spotify-web-emulator root").map_err(|e| e.to_string())?;
            let other = authority("an authority nobody trusts").map_err(|e| e.to_string())?;
            Ok((trusted, other))
        })
        .as_ref()
        .map_err(|e| io::Error::other(e.clone()))
}

/// The root certificate (DER) of the authority that signs every emulator's certificate in this
/// process: the one a client trusts to talk to an emulator serving TLS.
///
/// # Errors
///
/// If the authority could not be made.
pub fn root_certificate() -> io::Result<Vec<u8>> {
    Ok(authorities()?.0.root.der().to_vec())
}

/// The server's TLS set-up for this certificate.
pub(crate) fn server_config(
    certificate: ServerCertificate,
    http2: bool,
) -> io::Result<Arc<rustls::ServerConfig>> {
    let (trusted, other) = authorities()?;
    let names = match certificate {
        ServerCertificate::WrongHost => vec!["emulator.invalid".to_owned()],
        _ => vec!["localhost".to_owned()],
    };
    let mut params = CertificateParams::new(names).map_err(io::Error::other)?;
    if certificate != ServerCertificate::WrongHost {
        params
            .subject_alt_names
            .push(SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)));
    }
    if certificate == ServerCertificate::Expired {
        params.not_before = date_time_ymd(2020, 1, 1);
        params.not_after = date_time_ymd(2021, 1, 1);
    }
    let issuer = match certificate {
        ServerCertificate::UnknownIssuer => other,
        _ => trusted,
    };
    let key = KeyPair::generate().map_err(io::Error::other)?;
    let leaf = params
        .signed_by(&key, &issuer.root, &issuer.key)
        .map_err(io::Error::other)?;
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(io::Error::other)?
        .with_no_client_auth()
        .with_single_cert(vec![leaf.der().clone()], key)
        .map_err(io::Error::other)?;
    config.alpn_protocols = if http2 {
        vec![b"h2".to_vec(), b"http/1.1".to_vec()]
    } else {
        vec![b"http/1.1".to_vec()]
    };
    Ok(Arc::new(config))
}
