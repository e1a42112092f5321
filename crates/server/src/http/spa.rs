//! Serves the built web app: files from the static folder, and
//! `index.html` for every other non-API path so client-side routes work on
//! reload.

use std::path::Path;

use axum::Router;
use tower_http::services::{ServeDir, ServeFile};

pub fn router<S: Clone + Send + Sync + 'static>(static_dir: Option<&Path>) -> Router<S> {
    match static_dir {
        Some(dir) => {
            let index = ServeFile::new(dir.join("index.html"));
            Router::new().fallback_service(ServeDir::new(dir).fallback(index))
        }
        None => Router::new().fallback(|| async {
            (
                axum::http::StatusCode::NOT_FOUND,
                "The web app is not built. Run `make web` (or `npm --prefix frontend run build`) and restart.",
            )
        }),
    }
}
