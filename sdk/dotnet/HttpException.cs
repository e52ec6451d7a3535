// Why an outbound request got no response: the `http-error` of wasmlet:function/outbound-http.
using System;

namespace Wasmlet {
    /// <summary>The WIT `error-code`, in its declaration order (the canonical ABI sends the index).</summary>
    public enum HttpErrorCode {
        /// <summary>The origin (or the address it resolved to) is not in the manifest's allowed_outbound_hosts.</summary>
        Denied,
        /// <summary>The method, URL or a header is malformed.</summary>
        InvalidRequest,
        /// <summary>The name did not resolve.</summary>
        DnsError,
        ConnectionRefused,
        /// <summary>Connecting took longer than [limits] outbound_connect_timeout_ms.</summary>
        ConnectionTimeout,
        /// <summary>No whole response within [limits] outbound_timeout_ms or the invocation's deadline.</summary>
        Timeout,
        /// <summary>The certificate did not verify, or the handshake failed.</summary>
        TlsError,
        /// <summary>The responses of this invocation exceeded [limits] outbound_response_bytes.</summary>
        ResponseTooLarge,
        /// <summary>This invocation already made [limits] outbound_requests requests.</summary>
        TooManyRequests,
        /// <summary>Anything else that broke the connection or the protocol (a redirect loop included).</summary>
        ProtocolError,
    }

    /// <summary>
    /// Thrown by Http.Send when no response came. An HTTP error status (404, 503) is not an
    /// HttpException: it is a response.
    /// </summary>
    public class HttpException : Exception {
        static readonly string[] CodeNames = {
            "denied", "invalid-request", "dns-error", "connection-refused", "connection-timeout",
            "timeout", "tls-error", "response-too-large", "too-many-requests", "protocol-error",
        };

        public readonly HttpErrorCode Code;
        /// <summary>The host's explanation, for logs; not a stable interface.</summary>
        public readonly string Reason;
        public readonly string Method;
        public readonly string Url;

        public HttpException(HttpErrorCode code, string reason, string method, string url)
            : base(method + " " + url + " failed: " + NameOf(code) + (string.IsNullOrEmpty(reason) ? "" : " (" + reason + ")")) {
            Code = code;
            Reason = reason ?? "";
            Method = method;
            Url = url;
        }

        /// <summary>The code as the WIT spells it: "denied", "connection-refused", ...</summary>
        public string CodeName { get { return NameOf(Code); } }

        /// <summary>The WIT name of `code` ("invalid-request" for InvalidRequest).</summary>
        public static string NameOf(HttpErrorCode code) {
            int index = (int)code;
            return index >= 0 && index < CodeNames.Length ? CodeNames[index] : "error-" + index;
        }
    }
}
