//! GET /hello/rust?name=ada -> "Hello, ada, from Rust!"

use wasmlet::{Request, Response};

fn handle(req: Request) -> Result<Response, String> {
    let name = req
        .query_param("name")
        .or_else(|| name_from_json(&req.body_text()))
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "world".to_string());
    wasmlet::log::info(&format!("greeted {}", name));
    Ok(Response::text(200, format!("Hello, {}, from Rust!\n", name)))
}

wasmlet::export_http!(handle);

/// Direct invocations arrive as POST with a JSON body such as {"name":"ada"}:
/// a tiny scan is enough for a greeting, no JSON library needed (escapes are
/// kept as written).
fn name_from_json(body: &str) -> Option<String> {
    let after_key = &body[body.find("\"name\"")? + "\"name\"".len()..];
    let value = after_key.trim_start().strip_prefix(':')?.trim_start().strip_prefix('"')?;
    Some(value[..value.find('"')?].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn greeting(req: Request) -> String {
        String::from_utf8(handle(req).unwrap().body).unwrap()
    }

    #[test]
    fn greets_from_the_query_string() {
        let req = Request { method: "GET".into(), query: "name=Ada+L".into(), ..Default::default() };
        assert_eq!(greeting(req), "Hello, Ada L, from Rust!\n");
    }

    #[test]
    fn greets_from_a_direct_invocation() {
        let req = Request { method: "POST".into(), body: b"{ \"name\" : \"ada\" }".to_vec(), ..Default::default() };
        assert_eq!(greeting(req), "Hello, ada, from Rust!\n");
    }

    #[test]
    fn defaults_to_world() {
        assert_eq!(greeting(Request::default()), "Hello, world, from Rust!\n");
        let empty = Request { query: "name=".into(), ..Default::default() };
        assert_eq!(greeting(empty), "Hello, world, from Rust!\n");
        let not_json = Request { body: b"name".to_vec(), ..Default::default() };
        assert_eq!(greeting(not_json), "Hello, world, from Rust!\n");
    }
}
