// Query-string decoding, written out by hand so that it behaves the same under .NET 10 in the
// component and under Mono in native tests (Uri.UnescapeDataString differs on malformed input).
using System;
using System.Collections.Generic;
using System.Text;

namespace Wasmlet {
    internal static class QueryString {
        /// <summary>The decoded value of the first `name` in `query` ("a=1&amp;b=2"), "" for a bare key, null when absent.</summary>
        internal static string Param(string query, string name) {
            if (string.IsNullOrEmpty(query)) return null;
            foreach (var part in query.Split('&')) {
                if (part.Length == 0) continue;
                int eq = part.IndexOf('=');
                string key = eq < 0 ? part : part.Substring(0, eq);
                if (Decode(key) == name) return eq < 0 ? "" : Decode(part.Substring(eq + 1));
            }
            return null;
        }

        /// <summary>
        /// "+" is a space and "%XX" a byte; a malformed escape ("%zz", a trailing "%") is kept as written.
        /// The bytes are read as UTF-8, invalid sequences becoming U+FFFD.
        /// </summary>
        internal static string Decode(string text) {
            if (text.IndexOf('%') < 0 && text.IndexOf('+') < 0) return text;
            byte[] raw = Encoding.UTF8.GetBytes(text);
            var bytes = new List<byte>(raw.Length);
            for (int i = 0; i < raw.Length; i++) {
                byte b = raw[i];
                int hi, lo;
                if (b == (byte)'+') {
                    bytes.Add((byte)' ');
                } else if (b == (byte)'%' && i + 2 < raw.Length && (hi = Hex(raw[i + 1])) >= 0 && (lo = Hex(raw[i + 2])) >= 0) {
                    bytes.Add((byte)(hi * 16 + lo));
                    i += 2;
                } else {
                    bytes.Add(b);
                }
            }
            return Encoding.UTF8.GetString(bytes.ToArray());
        }

        static int Hex(byte c) {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            if (c >= 'A' && c <= 'F') return c - 'A' + 10;
            return -1;
        }
    }
}
