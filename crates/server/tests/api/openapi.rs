//! `/api/openapi.json`: served to anyone, and every operation it describes
//! is one the router actually serves (the library's unit test checks the
//! other direction: every declared route is described).

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn the_description_is_served_and_every_operation_in_it_is_routed() {
    let app = spawn_app().await;
    let admin = app.login(&ADMIN).await;

    let document = json_of(
        app.http
            .get(app.url("/api/openapi.json"))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;

    assert_eq!(document["openapi"], "3.0.3");
    let paths = document["paths"].as_object().unwrap();
    assert!(paths.len() > 25);
    for (path, item) in paths {
        // Session-ending operations last, so the others run signed in.
        let mut methods: Vec<&String> = item.as_object().unwrap().keys().collect();
        methods.sort();
        for method in methods {
            let concrete = path
                .replace("{id}", "999999")
                .replace("{token}", "not-a-token");
            let response = app
                .http
                .request(
                    Method::from_bytes(method.to_uppercase().as_bytes()).unwrap(),
                    app.url(&concrete),
                )
                .bearer_auth(&admin.token)
                .json(&json!({}))
                .send()
                .await
                .unwrap();
            let status = response.status();
            let unrouted = if status == StatusCode::NOT_FOUND {
                let body = response.text().await.unwrap();
                body.contains("There is no API route")
                    || body.contains("There is nothing at this address")
            } else {
                false
            };
            assert!(
                status != StatusCode::METHOD_NOT_ALLOWED && !unrouted,
                "{method} {path} is described but not served ({status})"
            );
        }
    }
}
