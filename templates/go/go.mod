module {{name}}

// 1.24: the first Go with //go:wasmexport and -buildmode=c-shared for wasip1.
go 1.24

require wasmlet.dev/sdk/go v0.0.0

// The SDK of the wasmlet checkout this function was created from: no module download, ever.
replace wasmlet.dev/sdk/go => "{{wasmlet_root}}/sdk/go"
