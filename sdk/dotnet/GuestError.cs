// The exception a handler throws to fail a request on purpose.
using System;

namespace Wasmlet {
    /// <summary>
    /// Thrown from a handler: the host answers 500 guest_error and logs the message as written.
    /// Any other exception does the same, its message prefixed by its type ("FormatException: …")
    /// and its stack trace written to stderr (both land in `wasmlet logs`).
    /// </summary>
    /// <example><code>if (name.Length > 100) throw new GuestError("name too long");</code></example>
    public class GuestError : Exception {
        public GuestError(string message) : base(message) { }
    }
}
