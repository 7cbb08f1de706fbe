//! The client's address as the per-client limits count it: API Gateway's source IP in Lambda,
//! the socket's peer in the dev server; the one way every function reads it.

use std::convert::Infallible;

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::request::Parts,
};
use jamie::limits::ClientIp;

/// The address a request came from (`unknown` when neither API Gateway nor a socket says).
#[derive(Clone, Debug)]
pub struct Client(pub ClientIp);

impl Client {
    /// Reads it from a request's parts.
    pub fn of(parts: &Parts) -> ClientIp {
        if let Some(lambda_http::request::RequestContext::ApiGatewayV2(context)) =
            parts
                .extensions
                .get::<lambda_http::request::RequestContext>()
            && let Some(ip) = &context.http.source_ip
        {
            return ClientIp::new(ip.clone());
        }
        parts
            .extensions
            .get::<ConnectInfo<std::net::SocketAddr>>()
            .map_or_else(ClientIp::unknown, |ConnectInfo(address)| {
                ClientIp::new(address.ip().to_string())
            })
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(Self::of(parts)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;

    #[test]
    fn the_socket_peer_is_the_client_and_nothing_is_unknown() {
        let (mut parts, ()) = Request::new(()).into_parts();
        assert_eq!(Client::of(&parts), ClientIp::unknown());
        parts
            .extensions
            .insert(ConnectInfo(std::net::SocketAddr::from((
                [203, 0, 113, 7],
                5000,
            ))));
        assert_eq!(Client::of(&parts).as_str(), "203.0.113.7");
    }
}
