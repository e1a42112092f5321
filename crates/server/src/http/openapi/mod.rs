//! The OpenAPI 3.0 description of the HTTP API, served at
//! `/api/openapi.json` for clients, documentation and fuzzers.
//!
//! It is written here, beside the routes, as data: `paths` holds one entry
//! per operation and `schemas` the bodies. Two tests keep it honest: the
//! unit test below finds every `.route(...)` in the HTTP modules and
//! requires an operation for it, and the integration suite calls every
//! described operation and requires the router to serve it. Every error
//! answer shares the contract's shape, described once as the `default`
//! response of each operation.

mod paths;
mod schemas;

use std::sync::{Arc, LazyLock};

use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Map, Value, json};

use crate::app::AppState;

static DOCUMENT: LazyLock<Value> = LazyLock::new(document);

pub fn router() -> Router<Arc<AppState>> {
    Router::new().route("/openapi.json", get(serve))
}

/// Anyone: the API description (it holds no data).
async fn serve() -> Json<Value> {
    Json(DOCUMENT.clone())
}

/// The whole document.
pub fn document() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "HealthSecure API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Medical data access control: role- and care-team-filtered patient \
                data, break-glass emergency access and a hash-chained audit trail. Every \
                error has the body {error, code, request_id}.",
        },
        "servers": [{ "url": "/" }],
        "security": [{ "bearer": [] }],
        "paths": paths::all(),
        "components": {
            "securitySchemes": {
                "bearer": { "type": "http", "scheme": "bearer", "bearerFormat": "JWT" },
            },
            "schemas": schemas::all(),
        },
    })
}

/// One operation, built up by the entries in `paths`.
pub(super) struct Op {
    value: Map<String, Value>,
    parameters: Vec<Value>,
    responses: Map<String, Value>,
}

pub(super) fn op(tag: &str, summary: &str) -> Op {
    let mut value = Map::new();
    value.insert("tags".into(), json!([tag]));
    value.insert("summary".into(), json!(summary));
    let mut responses = Map::new();
    responses.insert(
        "default".into(),
        json!({
            "description": "An error, in the contract's shape",
            "content": { "application/json": { "schema": reference("Error") } },
        }),
    );
    Op {
        value,
        parameters: Vec::new(),
        responses,
    }
}

pub(super) fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

impl Op {
    /// Callable without a token.
    pub fn public(mut self) -> Op {
        self.value.insert("security".into(), json!([]));
        self
    }

    /// A positive integer id in the path.
    pub fn id(mut self, name: &str) -> Op {
        self.parameters.push(json!({
            "name": name, "in": "path", "required": true,
            "schema": { "type": "integer", "format": "int64", "minimum": 1 },
        }));
        self
    }

    pub fn path_text(mut self, name: &str) -> Op {
        self.parameters.push(json!({
            "name": name, "in": "path", "required": true, "schema": { "type": "string" },
        }));
        self
    }

    pub fn query(mut self, name: &str, schema: Value) -> Op {
        self.parameters
            .push(json!({ "name": name, "in": "query", "required": false, "schema": schema }));
        self
    }

    /// `page` and `page_size` (at most 100).
    pub fn paged(self) -> Op {
        self.query("page", json!({ "type": "integer", "minimum": 1 }))
            .query(
                "page_size",
                json!({ "type": "integer", "minimum": 1, "maximum": 100 }),
            )
    }

    pub fn body(mut self, schema: &str) -> Op {
        self.value.insert(
            "requestBody".into(),
            json!({
                "required": true,
                "content": { "application/json": { "schema": reference(schema) } },
            }),
        );
        self
    }

    /// A success answer with a JSON body.
    pub fn answer(mut self, status: u16, description: &str, schema: Value) -> Op {
        self.responses.insert(
            status.to_string(),
            json!({
                "description": description,
                "content": { "application/json": { "schema": schema } },
            }),
        );
        self
    }

    /// A success answer of another media type (CSV, NDJSON, events).
    pub fn answer_as(mut self, status: u16, description: &str, types: &[&str]) -> Op {
        let content: Map<String, Value> = types
            .iter()
            .map(|t| (t.to_string(), json!({ "schema": media_schema(t) })))
            .collect();
        self.responses.insert(
            status.to_string(),
            json!({ "description": description, "content": content }),
        );
        self
    }

    /// A success answer without a body.
    pub fn empty(mut self, status: u16, description: &str) -> Op {
        self.responses
            .insert(status.to_string(), json!({ "description": description }));
        self
    }

    pub fn build(mut self) -> Value {
        if !self.parameters.is_empty() {
            self.value
                .insert("parameters".into(), Value::Array(self.parameters));
        }
        self.value
            .insert("responses".into(), Value::Object(self.responses));
        Value::Object(self.value)
    }
}

#[cfg(test)]
mod tests;

/// The schema of a non-JSON answer. A server-sent event stream is described
/// event by event (a name and its data line), as SSE-aware tools read it.
fn media_schema(media_type: &str) -> Value {
    if media_type == "text/event-stream" {
        json!({
            "type": "object",
            "required": ["event", "data"],
            "properties": {
                "event": { "type": "string" },
                "data": { "type": "string" },
                "id": { "type": "string" },
                "retry": { "type": "integer" }
            }
        })
    } else {
        json!({ "type": "string" })
    }
}
