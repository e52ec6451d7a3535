module wasmlet.dev/sdk/go

// 1.24: the first Go with //go:wasmexport and -buildmode=c-shared for wasip1.
go 1.24
