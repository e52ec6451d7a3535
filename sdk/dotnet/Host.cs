// The host imports (wasmlet:function/host: log, get-config), and their native stand-ins for tests.
using System;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace Wasmlet {
    public enum LogLevel { Debug = 0, Info = 1, Warn = 2, Error = 3 }

    /// <summary>
    /// What the host offers a guest. Inside the component the calls reach the host; anywhere else
    /// (a native test under Mono) Log writes "[level] message" to stderr and GetConfig finds no key.
    /// </summary>
    /// <example><code>
    /// Host.Info("called");                                  // a line in `wasmlet logs NAME`
    /// string greeting = Host.GetConfig("greeting") ?? "Hello";   // [config] in wasmlet.toml
    /// </code></example>
    public static class Host {
        /// <summary>Set by the exports' Handle (sdk/dotnet/exports/), the component's entry points: true only inside the component.</summary>
        internal static bool InComponent;

        // The glue (toolchains/dotnet/lib/gen-glue.mjs) answers the browser runtime's InvokeJSImportST
        // icall: handle 1 is log(level, ptr, len), handle 2 is get-config(ptr, len, ret); frame = 3 x i32.
        // Handle 3 is publisher.send (Publisher.cs).
        const int LogImport = 1, GetConfigImport = 2;
        static MethodInfo invokeImport;

        /// <summary>A log line for this invocation; Error does not fail the call.</summary>
        public static void Log(LogLevel level, string message) {
            message = message ?? "";
            if (!InComponent) {
                Console.Error.WriteLine("[" + level.ToString().ToLowerInvariant() + "] " + message);
                return;
            }
            byte[] text = Encoding.UTF8.GetBytes(message);
            IntPtr buf = Alloc(text.Length), frame = Alloc(12);
            try {
                Marshal.Copy(text, 0, buf, text.Length);
                Marshal.WriteInt32(frame, 0, (int)level);
                Marshal.WriteInt32(frame, 4, buf.ToInt32());
                Marshal.WriteInt32(frame, 8, text.Length);
                CallImport(LogImport, frame);
            } finally { Marshal.FreeHGlobal(buf); Marshal.FreeHGlobal(frame); }
        }

        public static void Debug(string message) { Log(LogLevel.Debug, message); }
        public static void Info(string message) { Log(LogLevel.Info, message); }
        public static void Warn(string message) { Log(LogLevel.Warn, message); }
        public static void Error(string message) { Log(LogLevel.Error, message); }

        /// <summary>The value of `key` in the manifest's [config] table, or null.</summary>
        public static string GetConfig(string key) {
            if (!InComponent || key == null) return null;
            byte[] name = Encoding.UTF8.GetBytes(key);
            IntPtr buf = Alloc(name.Length), frame = Alloc(12), ret = Alloc(12);
            try {
                Marshal.Copy(name, 0, buf, name.Length);
                Marshal.WriteInt32(frame, 0, buf.ToInt32());
                Marshal.WriteInt32(frame, 4, name.Length);
                Marshal.WriteInt32(frame, 8, ret.ToInt32());
                CallImport(GetConfigImport, frame);
                if (Marshal.ReadByte(ret, 0) == 0) return null;   // option::none
                // The host wrote the string into a buffer it got from cabi_realloc: ours to free.
                int ptr = Marshal.ReadInt32(ret, 4), len = Marshal.ReadInt32(ret, 8);
                var bytes = new byte[len];
                if (len > 0) {
                    Marshal.Copy(new IntPtr(ptr), bytes, 0, len);
                    Marshal.FreeHGlobal(new IntPtr(ptr));
                }
                return Encoding.UTF8.GetString(bytes);
            } finally { Marshal.FreeHGlobal(buf); Marshal.FreeHGlobal(frame); Marshal.FreeHGlobal(ret); }
        }

        static IntPtr Alloc(int bytes) { return Marshal.AllocHGlobal(bytes == 0 ? 1 : bytes); }

        // Reached through reflection: the icall is internal to System.Runtime.InteropServices.JavaScript.
        internal static void CallImport(int handle, IntPtr frame) {
            if (invokeImport == null) {
                var runtime = Type.GetType("Interop+Runtime, System.Runtime.InteropServices.JavaScript", true);
                invokeImport = runtime.GetMethod("InvokeJSImportST", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic);
            }
            invokeImport.Invoke(null, new object[] { handle, frame });
        }
    }
}
