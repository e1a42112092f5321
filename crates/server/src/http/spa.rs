//! Serves the built web app: files from the static folder, and
//! `index.html` for client-side routes so they work on reload. Paths that
//! look like API calls or asset files never fall back to the page: they get
//! a plain 404, so a typo in an API path is not answered with HTML.

use std::path::Path;

use axum::Router;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::services::{ServeDir, ServeFile};

use super::ApiError;

pub fn router<S: Clone + Send + Sync + 'static>(static_dir: Option<&Path>) -> Router<S> {
    let router = match static_dir {
        Some(dir) => {
            let index = ServeFile::new(dir.join("index.html"));
            Router::new().fallback_service(ServeDir::new(dir).fallback(index))
        }
        None => Router::new().fallback(|| async {
            ApiError::NotFound(
                "The web app is not built. Run `make web` (or `npm --prefix frontend run build`) and restart.",
            )
        }),
    };
    router.layer(axum::middleware::from_fn(only_app_routes))
}

/// Client-side routes have no file extension and are not under `/api`.
fn is_app_route(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let last = lower.rsplit('/').next().unwrap_or_default();
    let api = lower == "/api" || lower.starts_with("/api/") || lower.starts_with("/api%2f");
    let operations = lower == "/metrics";
    let asset = lower.starts_with("/assets/") || last.contains('.');
    !api && !asset && !operations
}

async fn only_app_routes(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let response = next.run(request).await;
    let fell_back = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    if fell_back && !is_app_route(&path) && !path.ends_with("/index.html") && path != "/" {
        return ApiError::NotFound("There is nothing at this address.").into_response();
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_extensionless_non_api_paths_are_app_routes() {
        assert!(is_app_route("/patients/12"));
        assert!(is_app_route("/admin/care-teams"));
        assert!(!is_app_route("/api/"));
        assert!(!is_app_route("/API/patients"));
        assert!(!is_app_route("/api%2fpatients"));
        assert!(!is_app_route("/assets/missing.js"));
        assert!(!is_app_route("/metrics"));
    }
}
