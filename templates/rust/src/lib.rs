//! GET /<route>?name=ada -> "Hello, ada, from Rust!"

use wasmlet::{Request, Response};

fn handle(req: Request) -> Result<Response, String> {
    let name = req.query_param("name").unwrap_or_default();
    wasmlet::log::info("greeted someone");
    // Err(message) would be a guest error: the host answers 500 and logs the message.
    Ok(Response::text(200, greeting(&name)))
}

wasmlet::export_http!(handle);

/// The function's logic, apart from the SDK types so that it is easy to test.
fn greeting(name: &str) -> String {
    let name = if name.is_empty() { "world" } else { name };
    format!("Hello, {}, from Rust!\n", name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greets_by_name() {
        assert_eq!(greeting("ada"), "Hello, ada, from Rust!\n");
    }

    #[test]
    fn greets_the_world_without_a_name() {
        assert_eq!(greeting(""), "Hello, world, from Rust!\n");
    }

    #[test]
    fn handles_a_request() {
        let req = Request { method: "GET".into(), query: "name=Ada+L".into(), ..Default::default() };
        let res = handle(req).unwrap();
        assert_eq!(res.status, 200);
        assert_eq!(String::from_utf8(res.body).unwrap(), "Hello, Ada L, from Rust!\n");
    }
}
