//! Read-only settings from the manifest's `[config]` table.

/// The value of `key` in the function's `[config]`, `None` when absent.
///
/// ```
/// let greeting = wasmlet::config("greeting").unwrap_or_else(|| "Hello".into());
/// # assert_eq!(greeting, "Hello"); // natively there is no manifest
/// ```
pub fn config(key: &str) -> Option<String> {
    crate::host::get_config(key)
}
