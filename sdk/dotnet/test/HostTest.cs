using System;
using System.IO;
using Wasmlet;

namespace Wasmlet.Tests {
    static class HostTest {
        [Test] static void OutsideTheComponentLogGoesToStderrAndConfigIsEmpty() {
            var stderr = new StringWriter();
            var saved = Console.Error;
            Console.SetError(stderr);
            try {
                Host.Info("hello");
                Host.Log(LogLevel.Warn, "careful");
                Host.Error(null);
            } finally { Console.SetError(saved); }
            Check.Equal("[info] hello\n[warn] careful\n[error] \n", stderr.ToString().Replace("\r\n", "\n"));
            Check.Equal(null, Host.GetConfig("greeting"));
        }
    }
}
