// wasmlet C# SDK (mcs / C# 6 subset): the canonical-ABI glue for world http-function.
// Compiled together with the function's *.cs into one assembly by toolchains/dotnet/build.sh.
// The user writes:  public static class Function { public static Response Handle(Request req) { ... } }
using System;
using System.Collections.Generic;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace Wasmlet {
    public enum LogLevel { Debug = 0, Info = 1, Warn = 2, Error = 3 }

    public sealed class Request {
        public string Method, Path, Query;
        public List<KeyValuePair<string, string>> Headers = new List<KeyValuePair<string, string>>();
        public byte[] Body = new byte[0];
        public string BodyText { get { return Encoding.UTF8.GetString(Body); } }
        public string Header(string name) {
            foreach (var h in Headers) if (h.Key == name) return h.Value;
            return null;
        }
        /// The first value of a query parameter (percent-decoded), or null.
        public string QueryParam(string name) {
            if (string.IsNullOrEmpty(Query)) return null;
            foreach (var part in Query.Split('&')) {
                int eq = part.IndexOf('=');
                string k = eq < 0 ? part : part.Substring(0, eq);
                if (Uri.UnescapeDataString(k.Replace('+', ' ')) == name)
                    return eq < 0 ? "" : Uri.UnescapeDataString(part.Substring(eq + 1).Replace('+', ' '));
            }
            return null;
        }
    }

    public sealed class Response {
        public int Status = 200;
        public List<KeyValuePair<string, string>> Headers = new List<KeyValuePair<string, string>>();
        public byte[] Body = new byte[0];
        public static Response Text(string text, int status = 200) {
            var r = new Response { Status = status, Body = Encoding.UTF8.GetBytes(text) };
            r.Headers.Add(new KeyValuePair<string, string>("content-type", "text/plain; charset=utf-8"));
            return r;
        }
    }

    /// Thrown (or any other exception) -> err(message): the host answers 500 and logs it.
    public class GuestError : Exception { public GuestError(string message) : base(message) { } }

    public static class Host {
        // The glue routes "JS import" handles 1 and 2 of the browser runtime's icall to the host imports.
        static MethodInfo invoke;
        static void Call(int handle, IntPtr frame) {
            if (invoke == null) {
                var t = Type.GetType("Interop+Runtime, System.Runtime.InteropServices.JavaScript", true);
                invoke = t.GetMethod("InvokeJSImportST", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic);
            }
            invoke.Invoke(null, new object[] { handle, frame });
        }
        public static void Log(LogLevel level, string message) {
            byte[] m = Encoding.UTF8.GetBytes(message);
            IntPtr buf = Abi.Alloc(m.Length), frame = Abi.Alloc(12);
            try {
                Marshal.Copy(m, 0, buf, m.Length);
                Marshal.WriteInt32(frame, 0, (int)level); Marshal.WriteInt32(frame, 4, buf.ToInt32()); Marshal.WriteInt32(frame, 8, m.Length);
                Call(1, frame);
            } finally { Abi.Free(buf); Abi.Free(frame); }
        }
        /// A value from the manifest's [config] table, or null.
        public static string GetConfig(string key) {
            byte[] k = Encoding.UTF8.GetBytes(key);
            IntPtr buf = Abi.Alloc(k.Length), frame = Abi.Alloc(12), ret = Abi.Alloc(12);
            try {
                Marshal.Copy(k, 0, buf, k.Length);
                Marshal.WriteInt32(frame, 0, buf.ToInt32()); Marshal.WriteInt32(frame, 4, k.Length); Marshal.WriteInt32(frame, 8, ret.ToInt32());
                Call(2, frame);
                if (Marshal.ReadByte(ret, 0) == 0) return null;
                IntPtr p = new IntPtr(Marshal.ReadInt32(ret, 4)); int n = Marshal.ReadInt32(ret, 8);
                string s = Abi.ReadString(p, n); Abi.Free(p, n);
                return s;
            } finally { Abi.Free(buf); Abi.Free(frame); Abi.Free(ret); }
        }
    }

    /// Called by the wasm glue (toolchains/dotnet/glue): Handle(frame) and Post(retArea).
    public static class Abi {
        static readonly List<IntPtr> live = new List<IntPtr>();
        internal static IntPtr Alloc(int n) { return Marshal.AllocHGlobal(n == 0 ? 1 : n); }   // = the runtime's malloc
        internal static void Free(IntPtr p) { if (p != IntPtr.Zero) Marshal.FreeHGlobal(p); }
        internal static void Free(IntPtr p, int len) { if (len > 0) Free(p); }   // len 0 buffers may not come from malloc
        internal static string ReadString(IntPtr p, int n) {
            if (n == 0) return "";
            var b = new byte[n]; Marshal.Copy(p, b, 0, n); return Encoding.UTF8.GetString(b);
        }
        static string TakeString(IntPtr frame, int off) {
            IntPtr p = new IntPtr(Marshal.ReadInt32(frame, off)); int n = Marshal.ReadInt32(frame, off + 4);
            string s = ReadString(p, n); Free(p, n); return s;
        }
        static IntPtr Keep(int n) { IntPtr p = Alloc(n); live.Add(p); return p; }
        static void PutBytes(IntPtr at, int off, byte[] b) {
            IntPtr p = IntPtr.Zero;
            if (b.Length > 0) { p = Keep(b.Length); Marshal.Copy(b, 0, p, b.Length); }
            Marshal.WriteInt32(at, off, p.ToInt32()); Marshal.WriteInt32(at, off + 4, b.Length);
        }

        // frame: ten i32 canonical-ABI params at 0..36, the return-area pointer is written at 40.
        public static void Handle(IntPtr frame) {
            IntPtr ret = Keep(24);
            try {
                var req = new Request();
                req.Method = TakeString(frame, 0); req.Path = TakeString(frame, 8); req.Query = TakeString(frame, 16);
                IntPtr hp = new IntPtr(Marshal.ReadInt32(frame, 24)); int hn = Marshal.ReadInt32(frame, 28);
                for (int i = 0; i < hn; i++) {
                    IntPtr e = new IntPtr(hp.ToInt32() + 16 * i);
                    req.Headers.Add(new KeyValuePair<string, string>(TakeString(e, 0), TakeString(e, 8)));
                }
                Free(hp, hn);
                IntPtr bp = new IntPtr(Marshal.ReadInt32(frame, 32)); int bn = Marshal.ReadInt32(frame, 36);
                req.Body = new byte[bn]; if (bn > 0) Marshal.Copy(bp, req.Body, 0, bn); Free(bp, bn);

                Response resp = global::Function.Handle(req);
                if (resp == null) throw new GuestError("Function.Handle returned null");
                Marshal.WriteInt32(ret, 0, 0);                       // tag ok (u8 + padding)
                Marshal.WriteInt32(ret, 4, resp.Status & 0xffff);    // u16 status
                int n = resp.Headers.Count;
                IntPtr ha = n > 0 ? Keep(16 * n) : IntPtr.Zero;
                for (int i = 0; i < n; i++) {
                    IntPtr e = new IntPtr(ha.ToInt32() + 16 * i);
                    PutBytes(e, 0, Encoding.UTF8.GetBytes(resp.Headers[i].Key.ToLowerInvariant()));
                    PutBytes(e, 8, Encoding.UTF8.GetBytes(resp.Headers[i].Value));
                }
                Marshal.WriteInt32(ret, 8, ha.ToInt32()); Marshal.WriteInt32(ret, 12, n);
                PutBytes(ret, 16, resp.Body ?? new byte[0]);
            } catch (Exception ex) {
                Exception e = ex is TargetInvocationException && ex.InnerException != null ? ex.InnerException : ex;
                Marshal.WriteInt32(ret, 0, 1);                       // tag err
                PutBytes(ret, 4, Encoding.UTF8.GetBytes(e is GuestError ? e.Message : e.GetType().Name + ": " + e.Message));
            }
            Marshal.WriteInt32(frame, 40, ret.ToInt32());
        }

        public static void Post(IntPtr retArea) {
            foreach (var p in live) Marshal.FreeHGlobal(p);
            live.Clear();
        }
    }
}
