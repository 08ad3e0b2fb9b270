//! The Spark Connect connection string, as Spark defines it:
//! `sc://host[:port][/;param=value;...]`, port 15002 by default, parameters `token`,
//! `use_ssl`, `user_id`, `user_agent`, `session_id` (a UUID) and `grpc_max_message_size`.

use std::fmt;

/// Spark Connect's default port.
pub const DEFAULT_PORT: u16 = 15002;

/// A parsed `sc://` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// Host name or address.
    pub host: String,
    /// gRPC port.
    pub port: u16,
    /// Bearer token (`token=`); Spark turns TLS on with it.
    pub token: Option<String>,
    /// TLS (`use_ssl=true`, or implied by a token).
    pub use_ssl: bool,
    /// The user the server sees (`user_id=`).
    pub user_id: String,
    /// A session to join (`session_id=`), else a new one.
    pub session_id: Option<String>,
    /// Sent as the client type.
    pub user_agent: String,
}

/// Why a connection string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct UrlError(pub String);

impl Endpoint {
    /// Parses `sc://…`.
    pub fn parse(url: &str) -> Result<Endpoint, UrlError> {
        let rest = url.strip_prefix("sc://").ok_or_else(|| {
            UrlError(format!(
                "'{url}' is not a Spark Connect URL: it must start with sc://"
            ))
        })?;
        let (authority, params) = match rest.split_once('/') {
            Some((a, p)) => (a, p),
            None => (rest, ""),
        };
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => {
                let port = p
                    .parse::<u16>()
                    .map_err(|_| UrlError(format!("'{p}' is not a port number in '{url}'")))?;
                (h, port)
            }
            None => (authority, DEFAULT_PORT),
        };
        if host.is_empty() {
            return Err(UrlError(format!("'{url}' names no host")));
        }
        let mut endpoint = Endpoint {
            host: host.to_string(),
            port,
            token: None,
            use_ssl: false,
            user_id: std::env::var("USER").unwrap_or_else(|_| "faisca".to_string()),
            session_id: None,
            user_agent: "faisca".to_string(),
        };
        let params = params.strip_prefix(';').unwrap_or(params);
        for param in params.split(';').filter(|p| !p.is_empty()) {
            let (key, value) = param.split_once('=').ok_or_else(|| {
                UrlError(format!("parameter '{param}' in '{url}' is not key=value"))
            })?;
            match key {
                "token" => {
                    endpoint.token = Some(value.to_string());
                    endpoint.use_ssl = true;
                }
                "use_ssl" => endpoint.use_ssl = value.eq_ignore_ascii_case("true"),
                "user_id" => endpoint.user_id = value.to_string(),
                "user_agent" => endpoint.user_agent = value.to_string(),
                "session_id" => {
                    if uuid::Uuid::parse_str(value).is_err() {
                        return Err(UrlError(format!(
                            "session_id '{value}' is not a UUID, as Spark Connect requires"
                        )));
                    }
                    endpoint.session_id = Some(value.to_string());
                }
                "grpc_max_message_size" => {
                    value.parse::<usize>().map_err(|_| {
                        UrlError(format!("grpc_max_message_size '{value}' is not a number"))
                    })?;
                }
                other => {
                    return Err(UrlError(format!(
                        "unknown parameter '{other}' in '{url}' (known: token, use_ssl, \
                         user_id, user_agent, session_id, grpc_max_message_size)"
                    )));
                }
            }
        }
        Ok(endpoint)
    }

    /// The gRPC address (`http://host:port`).
    pub fn address(&self) -> String {
        let scheme = if self.use_ssl { "https" } else { "http" };
        format!("{scheme}://{}:{}", self.host, self.port)
    }
}

/// `sc://host:port`, without the token.
impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "sc://{}:{}", self.host, self.port)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_port_and_parameters() {
        let e = Endpoint::parse(
            "sc://spark.example:443/;token=abc;user_id=ana;session_id=\
             8f0a3b8e-9c6d-4f57-9a43-2f6a1d1c7e11",
        )
        .unwrap();
        assert_eq!(e.host, "spark.example");
        assert_eq!(e.port, 443);
        assert_eq!(e.token.as_deref(), Some("abc"));
        assert!(e.use_ssl, "a token turns TLS on");
        assert_eq!(e.user_id, "ana");
        assert_eq!(e.address(), "https://spark.example:443");
        assert_eq!(e.to_string(), "sc://spark.example:443");
    }

    #[test]
    fn default_port_and_plain_text() {
        let e = Endpoint::parse("sc://localhost").unwrap();
        assert_eq!(e.port, DEFAULT_PORT);
        assert!(!e.use_ssl);
        assert_eq!(e.address(), "http://localhost:15002");
    }

    #[test]
    fn refuses_what_spark_refuses() {
        for bad in [
            "http://localhost:15002",
            "sc://:15002",
            "sc://host:port",
            "sc://host/;session_id=1",
            "sc://host/;colour=blue",
            "sc://host/;token",
        ] {
            assert!(Endpoint::parse(bad).is_err(), "{bad}");
        }
    }
}
