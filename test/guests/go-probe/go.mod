module wasmlet.dev/test/guests/go-probe

go 1.24

require wasmlet.dev/sdk/go v0.0.0

// The SDK lives in this repository: no module download, ever.
replace wasmlet.dev/sdk/go => ../../../sdk/go
