// Read-only settings from the manifest's [config] table.
package wasmlet

// Config returns the value of key in the function's [config] table, and
// whether it is there. Outside wasip1 there is no manifest: every key is absent.
//
//	greeting, ok := wasmlet.Config("greeting")
//	if !ok {
//		greeting = "Hello"
//	}
func Config(key string) (string, bool) {
	return hostGetConfig(key)
}
